"""Every Comms list: paged by ``?limit=``/``?offset=`` with X-Total-Count, filtered by any of
its resource's fields in the query string, and by ``before``/``after`` (unix seconds or ISO).

Two worlds of one client differ in every field ("1" and "2" values); for each field of row A
the test asks for A's value (A is found, B is not when B's value differs) and for a value
nothing has (A is not found, or the value is refused with 412: either way the key is a
filter, not an ignored unknown key).
"""

import pytest

from tests.comms.conftest import build_world

pytestmark = pytest.mark.django_db

# (list path, id key of its rows, fields that are not filters and why)
COUNTERS = {"contact_total", "contact_done", "pending", "sent", "succeeded", "failed"}
LISTS = [
    ("/api/contacts", "contact_id", set()),
    ("/api/groups", "group_id", set()),
    ("/api/groups/{group_id}/contacts", "contact_id", set()),
    ("/api/messages/texts", "text_id", set()),
    ("/api/messages/templates", "template_id", set()),
    ("/api/messages/documents", "document_id", set()),
    ("/api/messages/recordings", "recording_id", set()),
    ("/api/programs", "program_id", set()),
    ("/api/programs/{program_id}/transmissions", "transmission_id", set()),
    ("/api/transmissions", "transmission_id", set()),
    ("/api/transmissions/{transmission_id}/detail", "spool_id", set()),
    ("/api/transmissions/{transmission_id}/result", "spool_result_id", set()),
    ("/api/spools/{spool_id}/result", "spool_result_id", set()),
    ("/api/campaigns", "campaign_id", COUNTERS),  # computed by one aggregate per page
    ("/api/accounts", "account_id", set()),
    ("/api/users", "user_id", set()),
    ("/api/providers", "provider_id", {"inbound_url"}),  # derived from the id and a secret
]
TIMES = {"created_at", "updated_at", "date_joined", "last_login", "last_run", "next_slot_at",
         "time_spool", "time_start", "time_connect", "time_end", "date_created"}  # fmt: skip
NO_MATCH_TEXT, NO_MATCH_NUMBER = "zz-nothing-has-this-zz", 987654321


@pytest.fixture
def worlds(admin_api, media_root):
    return build_world(admin_api, "1"), build_world(admin_api, "2")


def _ids(api, path: str, key: str, **query) -> list:
    response = api.get(path, query)
    assert response.status_code in (200, 412), (path, query, response.content)
    return [row[key] for row in response.json()] if response.status_code == 200 else None


def _no_match(value):
    if isinstance(value, bool):
        return int(not value)
    return NO_MATCH_NUMBER if isinstance(value, int | float) else NO_MATCH_TEXT


def _filterable(row: dict, skipped: set) -> dict:
    return {
        name: value
        for name, value in row.items()
        if name not in TIMES | skipped and not isinstance(value, list | dict)
    }


def _filter_failures(api, path, key, row_a, row_b, skipped) -> list[str]:
    failures = []
    for name, value in _filterable(row_a, skipped).items():
        if value not in (None, ""):
            found = _ids(api, path, key, **{name: value})
            if found is None or row_a[key] not in found:
                failures.append(f"{name}={value!r} does not find its row")
            elif row_b and row_b.get(name) != value and row_b[key] in found:
                failures.append(f"{name}={value!r} also finds a row with {row_b.get(name)!r}")
        found = _ids(api, path, key, **{name: _no_match(value)})
        if found is not None and row_a[key] in found:
            failures.append(f"{name} is ignored (not a filter)")
    return failures


def _rows(api, template: str, key: str, world: dict) -> list[dict]:
    response = api.get(template.format(**world))
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(("template", "key", "skipped"), LISTS, ids=[t for t, _, _ in LISTS])
def test_a_list_filters_by_every_field_of_its_rows(admin_api, worlds, template, key, skipped):
    world_a, world_b = worlds
    rows = _rows(admin_api, template, key, world_a)
    row_a = next(r for r in rows if key not in world_a or r[key] == world_a[key])
    others = [r for r in rows if r[key] != row_a[key]] if key not in world_a else []
    row_b = next((r for r in rows if r[key] == world_b.get(key)), others[0] if others else None)
    path = template.format(**world_a)
    assert _filter_failures(admin_api, path, key, row_a, row_b, skipped) == []


@pytest.mark.parametrize(("template", "key", "skipped"), LISTS, ids=[t for t, _, _ in LISTS])
def test_a_list_is_paged_with_a_total_count(admin_api, world, template, key, skipped):
    path = template.format(**world)
    total = len(_rows(admin_api, template, key, world))
    first = admin_api.get(path, {"limit": 1})
    assert first.status_code == 200 and first["X-Total-Count"] == str(total)
    assert len(first.json()) == 1
    beyond = admin_api.get(path, {"limit": 1, "offset": total})
    assert beyond.json() == [] and beyond["X-Total-Count"] == str(total)


ROOT_LISTS = [(t, k) for t, k, _ in LISTS if "{" not in t]


@pytest.mark.parametrize(("path", "key"), ROOT_LISTS, ids=[p for p, _ in ROOT_LISTS])
def test_before_and_after_take_unix_seconds_or_iso(admin_api, world, path, key):
    everything = _ids(admin_api, path, key)
    assert _ids(admin_api, path, key, after=0) == everything
    assert _ids(admin_api, path, key, before=0) == []
    assert _ids(admin_api, path, key, after="2000-01-01T00:00:00Z") == everything
    assert _ids(admin_api, path, key, before="2000-01-01") == []
    assert _ids(admin_api, path, key, after="4102444800") == []
