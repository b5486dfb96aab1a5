"""The 100,000-row import on PostgreSQL: streamed through the API and written in chunks."""

import pytest
from django.db import connection

from apps.contacts.models import Contact
from tests.contacts.conftest import post_csv

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the 100k-row import is sized for PostgreSQL (set DATABASE_URL=postgres://…)",
    ),
]

ROWS = 100_000


def big_csv() -> bytes:
    """About 8 MB: more than FUSION_MAX_BODY_BYTES, less than FUSION_CSV_MAX_BYTES."""
    return "".join(
        f'"+92300{n:07d}","First{n}","Last{n}","user{n}@example.com","{n} Main Street",'
        f'"c1","c2","c3","note"\n'
        for n in range(ROWS)
    ).encode()


def test_100k_rows_import_in_chunks(admin_api, make_group, settings):
    group = make_group()
    body = big_csv()
    assert settings.FUSION_MAX_BODY_BYTES < len(body) < settings.FUSION_CSV_MAX_BYTES
    response = post_csv(admin_api, group.id, body)
    assert response.status_code == 200, response.content[:500]
    assert response.json() | {"group_id": 0} == {
        "group_id": 0, "imported": ROWS, "duplicates": 0, "rejected": [], "rejected_total": 0,
        "header_skipped": False,
    }  # fmt: skip
    assert group.contacts.count() == ROWS
    last = group.contacts.get(phone=f"+92300{ROWS - 1:07d}")
    assert (last.first_name, last.email) == (f"First{ROWS - 1}", f"user{ROWS - 1}@example.com")
    assert last.created_at and last.client_id == group.client_id
    assert admin_api.get(f"/api/groups/{group.id}").json()["contact_total"] == ROWS
    # The import took its ids from the table's sequence: ordinary inserts still work after it.
    response = admin_api.post("/api/contacts", {"phone": "+12025550199"}, format="json")
    assert response.json()["contact_id"] > max(group.contacts.values_list("id", flat=True))
    assert Contact.objects.count() == ROWS + 1
