"""Another client's row answers 404 on every documented route, exactly like a missing id, and
nothing of it changes.

Walks the document's endpoint list (test_spec_coverage.ENDPOINTS): every path with an id gets
the other client's ids, with every method the document lists for it.
"""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from tests.comms.test_spec_coverage import ENDPOINTS

pytestmark = pytest.mark.django_db

ID_ROUTES = [(m, p) for m, p in ENDPOINTS if "{" in p]
GLOBAL_IDS = {"role_id", "permission_id"}  # roles and permissions are shared by every client


def _url(path: str, ids: dict) -> str:
    return "/api" + re.sub(r"\{(\w+)\}", lambda m: str(ids[m[1]]), path)


def _global_ids() -> dict:
    return {
        "role_id": Group.objects.get(name="user").id,
        "permission_id": Permission.objects.get(codename="view_contact").id,
        "name": "coverpage",
    }


@pytest.mark.parametrize("body", ["{}", "[]"], ids=["empty-body", "invalid-body"])
def test_every_id_route_answers_404_for_another_clients_rows(admin_api, world, their_world, body):
    # An invalid body must not answer 412 first: the record is looked up before the body.
    theirs = {**their_world, **_global_ids()}
    failures = []
    for method, path in ID_ROUTES:
        response = admin_api.generic(
            method, _url(path, theirs), body, content_type="application/json"
        )
        answer = response.json() if response["Content-Type"].startswith("application/json") else {}
        if response.status_code != 404 or answer.get("error", {}).get("code") != 404:
            failures.append(f"{method} {path} → {response.status_code}")
    assert "; ".join(failures) == ""


MIXED = [  # the caller's own first id, another client's second
    ("PUT", "/contacts/{contact_id}/link/{group_id}", "group_id"),
    ("DELETE", "/contacts/{contact_id}/link/{group_id}", "group_id"),
    ("PUT", "/accounts/{account_id}/programs/{program_id}", "program_id"),
    ("DELETE", "/accounts/{account_id}/programs/{program_id}", "program_id"),
    ("PUT", "/accounts/{account_id}/users/{user_id}", "user_id"),
]


@pytest.mark.parametrize(("method", "path", "foreign"), MIXED, ids=lambda v: str(v))
def test_an_own_row_with_another_clients_partner_answers_404(
    admin_api, world, their_world, method, path, foreign
):
    ids = {**world, **_global_ids(), foreign: their_world[foreign]}
    assert admin_api.generic(method, _url(path, ids)).status_code == 404


BODY_REFERENCES = [  # another client's id inside a body is a validation error naming it
    ("/api/transmissions", {"contact_id": "contact_id"}),
    ("/api/transmissions", {"program_id": "program_id"}),
    ("/api/transmissions", {"account_id": "account_id"}),
    ("/api/campaigns", {"group_id": "group_id"}),
    ("/api/campaigns", {"program_id": "program_id"}),
    ("/api/campaigns", {"account_id": "account_id"}),
    ("/api/programs/sendsms", {"text_id": "text_id"}),
    ("/api/programs/sendemail", {"template_id": "template_id"}),
    ("/api/programs/sendfax", {"document_id": "document_id"}),
    ("/api/programs/voicemessage", {"recording_id": "recording_id"}),
    ("/api/programs/receivesms", {"account_id": "account_id"}),
]


@pytest.mark.parametrize(("path", "foreign"), BODY_REFERENCES, ids=lambda v: str(v))
def test_another_clients_id_in_a_body_answers_412_naming_it(
    admin_api, world, their_world, path, foreign
):
    ((field, key),) = foreign.items()
    body = {"program_id": world["program_id"], "contact_id": world["contact_id"],
            "group_id": world["group_id"], field: their_world[key]}  # fmt: skip
    response = admin_api.post(path, body, format="json")
    assert response.status_code == 412, response.content
    assert field in response.json()["error"]["fields"]


LISTS = {
    "/contacts": "contact_id", "/groups": "group_id", "/messages/texts": "text_id",
    "/messages/templates": "template_id", "/messages/documents": "document_id",
    "/messages/recordings": "recording_id", "/programs": "program_id",
    "/transmissions": "transmission_id", "/campaigns": "campaign_id",
    "/accounts": "account_id", "/users": "user_id", "/providers": "provider_id",
}  # fmt: skip


@pytest.mark.parametrize(("path", "key"), LISTS.items(), ids=list(LISTS))
def test_lists_never_show_another_clients_rows_even_when_asked_by_id(
    admin_api, world, their_world, path, key
):
    shown = [row[key] for row in admin_api.get(f"/api{path}").json()]
    assert world[key] in shown and their_world[key] not in shown
    assert admin_api.get(f"/api{path}", {key: their_world[key]}).json() == []


REFERENCE_FILTERS = [
    ("/transmissions", "program_id"), ("/transmissions", "contact_id"),
    ("/transmissions", "account_id"), ("/campaigns", "program_id"), ("/campaigns", "group_id"),
    ("/campaigns", "account_id"), ("/programs", "parent_id"), ("/contacts", "group_id"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "key"), REFERENCE_FILTERS, ids=lambda v: str(v))
def test_filtering_by_another_clients_id_looks_like_filtering_by_a_missing_one(
    admin_api, world, their_world, path, key
):
    # The same empty answer, so a filter cannot tell whether someone else's id exists.
    theirs = admin_api.get(
        f"/api{path}", {key: their_world["program_id" if key == "parent_id" else key]}
    )
    missing = admin_api.get(f"/api{path}", {key: 987654321})
    assert (theirs.status_code, theirs.json()) == (missing.status_code, missing.json()) == (200, [])
