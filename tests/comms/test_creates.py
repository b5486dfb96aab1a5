"""Creates answer exactly ``{"<entity>_id": N}`` (the world fixture checks the plain ones);
here every program type, the program shortcut and clone, and a program's parent."""

import json

import pytest

from apps.programs.models import Program
from apps.transmissions.models import Transmission
from tests.comms.conftest import created

pytestmark = pytest.mark.django_db

PROGRAM_PARAMETERS = {
    "sendsms": "text_id", "sendemail": "template_id", "sendfax": "document_id",
    "voicemessage": "recording_id", "receivesms": "account_id", "receivefax": "account_id",
    "receiveemail": "account_id", "faxtoemail": "account_id", "emailtofax": "account_id",
}  # fmt: skip


@pytest.mark.parametrize("kind", [*PROGRAM_PARAMETERS, "voicetts"])
def test_every_program_type_answers_its_program_id(admin_api, world, kind):
    param = PROGRAM_PARAMETERS.get(kind)
    body = {"name": f"my {kind}", param: world[param]} if param else {"text": "Hello there"}
    program_id = created(admin_api, f"/api/programs/{kind}", body, "program_id")
    assert Program.objects.get(pk=program_id).type == kind


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_the_program_shortcut_creates_a_transmission_of_the_paths_program(admin_api, world, method):
    other = created(admin_api, "/api/programs/voicetts", {"text": "Hi"}, "program_id")
    body = {"contact_id": world["contact_id"], "program_id": other}  # the path wins
    response = admin_api.generic(
        method, f"/api/programs/{world['program_id']}/transmissions",
        json.dumps(body), content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200 and list(response.json()) == ["transmission_id"]
    made = Transmission.objects.get(pk=response.json()["transmission_id"])
    assert made.program_id == world["program_id"]


def test_clone_answers_the_new_transmission_id(admin_api, world):
    response = admin_api.get(f"/api/transmissions/{world['transmission_id']}/clone")
    assert response.status_code == 200 and list(response.json()) == ["transmission_id"]
    assert response.json()["transmission_id"] != world["transmission_id"]


def test_a_program_takes_a_parent_of_its_own_client(admin_api, world, their_world):
    body = {"text": "child", "parent_id": world["program_id"]}
    child = created(admin_api, "/api/programs/voicetts", body, "program_id")
    assert admin_api.get(f"/api/programs/{child}").json()["parent_id"] == world["program_id"]
    for parent in (their_world["program_id"], 987654):
        response = admin_api.post(
            "/api/programs/voicetts", {"text": "x", "parent_id": parent}, format="json"
        )
        assert response.status_code == 412 and "parent_id" in response.json()["error"]["fields"]


NUMBER_TYPED = [  # the document writes these as numbers ("phone: 03001234567 (number)")
    ("/api/contacts", {"first_name": "N", "phone": 12025550123}, "contact_id", "phone"),
    ("/api/accounts", {"username": "n1", "phone": 12135550123}, "account_id", "phone"),
    ("/api/users", {"username": "n2", "password": "Numb3r-pass-x", "phone": 14155550123},
     "user_id", "phone"),
    ("/api/providers", {"name": "n3", "type": "sandbox", "service_flag": 4, "prefix": 12},
     "provider_id", "prefix"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "key", "field"), NUMBER_TYPED, ids=lambda v: str(v))
def test_fields_the_document_types_as_numbers_are_accepted_as_json_numbers(
    admin_api, path, body, key, field
):
    new_id = created(admin_api, path, body, key)
    assert str(body[field]) in admin_api.get(f"{path}/{new_id}").json()[field]
