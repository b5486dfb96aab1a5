"""Answers carry the fields of the document's data structures, with the document's types:
numbers for ids, flags and counts, 1/0 for yes/no fields, unix seconds for spool times, and
never a secret."""

import pytest

pytestmark = pytest.mark.django_db

NUMBER, FLAG, TEXT, UNIX = "number", "flag", "text", "unix"
# Path of one object (or a list of them) → the spec object's fields and their kinds.
SPEC_OBJECTS = {
    "/contacts/{contact_id}": {
        "contact_id": NUMBER, "first_name": TEXT, "last_name": TEXT, "phone": TEXT,
        "email": TEXT, "address": TEXT, "custom1": TEXT, "custom2": TEXT, "custom3": TEXT,
        "description": TEXT,
    },
    "/groups/{group_id}": {"group_id": NUMBER, "name": TEXT, "description": TEXT},
    "/messages/texts/{text_id}": {"text_id": NUMBER, "name": TEXT, "data": TEXT, "type": TEXT,
                                  "description": TEXT},
    "/messages/templates/{template_id}": {
        "template_id": NUMBER, "name": TEXT, "description": TEXT, "subject": TEXT, "body": TEXT,
        "body_alt": TEXT, "type": TEXT,
    },
    "/messages/documents/{document_id}": {"document_id": NUMBER, "name": TEXT,
                                          "description": TEXT, "type": TEXT},
    "/messages/recordings/{recording_id}": {"recording_id": NUMBER, "name": TEXT,
                                            "description": TEXT, "type": TEXT},
    "/programs/{program_id}": {"program_id": NUMBER, "name": TEXT, "type": TEXT,
                               "parent_id": NUMBER},
    "/transmissions/{transmission_id}": {
        "transmission_id": NUMBER, "title": TEXT, "origin": TEXT, "contact_id": NUMBER,
        "account_id": NUMBER, "service_flag": NUMBER, "program_id": NUMBER, "direction": TEXT,
        "status": TEXT, "response": TEXT,
    },
    "/transmissions/{transmission_id}/detail": {
        "spool_id": NUMBER, "time_spool": UNIX, "time_start": UNIX, "time_connect": UNIX,
        "time_end": UNIX, "status": TEXT, "response": TEXT, "transmission_id": NUMBER,
    },
    "/transmissions/{transmission_id}/result": {"spool_result_id": NUMBER, "spool_id": NUMBER,
                                                "type": TEXT, "name": TEXT},
    "/campaigns/{campaign_id}": {
        "campaign_id": NUMBER, "program_id": NUMBER, "group_id": NUMBER, "cpm": NUMBER,
        "try_allowed": NUMBER, "account_id": NUMBER, "status": TEXT,
    },
    "/accounts/{account_id}": {
        "account_id": NUMBER, "username": TEXT, "first_name": TEXT, "last_name": TEXT,
        "phone": TEXT, "email": TEXT, "address": TEXT, "active": FLAG,
    },
    "/users/{user_id}": {
        "user_id": NUMBER, "username": TEXT, "first_name": TEXT, "last_name": TEXT,
        "phone": TEXT, "email": TEXT, "address": TEXT, "company": TEXT, "active": FLAG,
    },
    "/providers/{provider_id}": {
        "provider_id": NUMBER, "name": TEXT, "gateway_flag": NUMBER, "service_flag": NUMBER,
        "node_id": NUMBER, "host": TEXT, "port": NUMBER, "username": TEXT, "dialstring": TEXT,
        "prefix": TEXT, "register": FLAG, "weight": NUMBER, "type": TEXT, "active": FLAG,
    },
    "/statistics": dict.fromkeys(
        ["campaign_total", "campaign_active", "group_total", "contact_total",
         "transmission_total", "transmission_active", "spool_total", "spool_success",
         "spool_failed"], NUMBER,
    ),
}  # fmt: skip
SECRETS = {"passwd", "passwd_pin", "password"}


def _kind_ok(kind: str, value) -> bool:
    if value is None:
        return kind in (NUMBER, UNIX)  # parent_id, time_end … may be empty
    if kind == FLAG:
        return value in (0, 1) and not isinstance(value, bool)
    if kind in (NUMBER, UNIX):
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


def _objects(api, path: str) -> list[dict]:
    response = api.get("/api" + path)
    assert response.status_code == 200, (path, response.content)
    body = response.json()
    return body if isinstance(body, list) else [body]


@pytest.mark.parametrize("template", SPEC_OBJECTS, ids=list(SPEC_OBJECTS))
def test_answers_carry_the_spec_objects_fields_with_its_types(admin_api, world, template):
    objects = _objects(admin_api, template.format(**world))
    assert objects, template
    for found in objects:
        wrong = {
            name: found.get(name, "<missing>")
            for name, kind in SPEC_OBJECTS[template].items()
            if name not in found or not _kind_ok(kind, found[name])
        }
        assert wrong == {}, template


def test_spool_times_are_unix_seconds(admin_api, world):
    spool = _objects(admin_api, f"/transmissions/{world['transmission_id']}/detail")[0]
    assert 1_500_000_000 < spool["time_spool"] <= spool["time_start"] < 4_102_444_800


@pytest.mark.parametrize("path", ["/accounts", "/users", "/providers"])
def test_secrets_are_never_answered(admin_api, world, path):
    key = path[1:-1] + "_id"
    for found in _objects(admin_api, path) + _objects(admin_api, f"{path}/{world[key]}"):
        assert not SECRETS & set(found), path


@pytest.mark.parametrize("path", ["/accounts", "/providers", "/users"])
def test_yes_no_fields_are_written_as_1_or_0_and_answered_as_1_or_0(admin_api, world, path):
    key = path[1:-1] + "_id"
    url = f"/api{path}/{world[key]}"
    for given, answered in ((0, 0), (1, 1), (False, 0), ("true", 1)):
        response = admin_api.put(url, {"active": given}, format="json")
        assert response.status_code == 200 and response.json()["active"] == answered, given


@pytest.mark.parametrize(
    "list_path", ["/contacts", "/groups", "/messages/texts", "/programs", "/transmissions",
                  "/campaigns", "/accounts", "/users", "/providers"],
)  # fmt: skip
def test_list_rows_have_the_shape_of_the_single_object(admin_api, world, list_path):
    key = {"/messages/texts": "text_id"}.get(list_path, list_path[1:-1] + "_id")
    row = next(r for r in _objects(admin_api, list_path) if r[key] == world[key])
    assert row == _objects(admin_api, f"{list_path}/{world[key]}")[0]
