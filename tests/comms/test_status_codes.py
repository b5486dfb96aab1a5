"""The Comms face's status codes: 412 with the error envelope naming the field for every kind
of bad input, and 423 with the envelope when an action is not allowed in the current state."""

import json

import pytest

from apps.campaigns.models import Campaign
from apps.transmissions.models import Transmission

pytestmark = pytest.mark.django_db

# (method, path, body, the field the 412 must name); {x} are the world's ids.
INVALID = [
    ("POST", "/contacts", {"first_name": "A", "phone": "not a phone"}, "phone"),
    ("PUT", "/contacts/{contact_id}", {"email": "not-an-email"}, "email"),
    ("POST", "/groups", {"description": "no name"}, "name"),
    ("PUT", "/groups/{group_id}", {"name": ""}, "name"),
    ("POST", "/messages/texts", {"name": "no data"}, "data"),
    ("PUT", "/messages/texts/{text_id}", {"class": 3}, "class"),
    ("POST", "/messages/templates", {"name": "t", "body": "<p>b</p>"}, "subject"),
    ("POST", "/messages/documents", {"description": "no name"}, "name"),
    ("PUT", "/messages/documents/{document_id}", {"quality": "blurry"}, "quality"),
    ("POST", "/messages/recordings", {"description": "no name"}, "name"),
    ("POST", "/programs/sendsms", {"name": "no text"}, "text_id"),
    ("POST", "/programs/voicetts", {"name": "no text"}, "text"),
    ("POST", "/programs/receivefax", {"name": "no account"}, "account_id"),
    ("POST", "/transmissions", {"contact_id": 1}, "program_id"),
    ("PUT", "/programs/{program_id}/transmissions", {"phone": "not a phone"}, "phone"),
    ("POST", "/campaigns", {"program_id": "{program_id}"}, "group_id"),
    ("PUT", "/campaigns/{campaign_id}", {"cpm": 0}, "cpm"),
    ("POST", "/campaigns/{campaign_id}/start/schedule", {"timestamp": "soon"}, "timestamp"),
    ("POST", "/campaigns/{campaign_id}/stop/schedule", {"minute": "x"}, "minute"),
    ("POST", "/accounts", {"first_name": "no username"}, "username"),
    ("PUT", "/accounts/{account_id}", {"phone": "call me"}, "phone"),
    ("PUT", "/accounts/{account_id}/settings/coverpage", {}, "value"),
    ("POST", "/users", {"username": "weak", "password": "1"}, "password"),
    ("PUT", "/users/{user_id}", {"email": "nope"}, "email"),
    ("PUT", "/users/{user_id}/password", {}, "password"),
    ("POST", "/providers", {"name": "p", "type": "pigeon", "service_flag": 4}, "type"),
    ("PUT", "/providers/{provider_id}", {"service_flag": 0}, "service_flag"),
    ("GET", "/contacts?contact_id=abc", None, "contact_id"),
    ("GET", "/transmissions?before=yesterday", None, "before"),
]


def _fill(value, world: dict):
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    return value.format(**world) if isinstance(value, str) and "{" in value else value


def _assert_412_naming(response, field: str) -> None:
    assert response.status_code == 412, response.content
    error = response.json()["error"]
    assert error["code"] == 412 and field in error["fields"], error
    assert error["message"].startswith(f"{field}: ") or f"; {field}: " in error["message"]


@pytest.mark.parametrize(("method", "path", "body", "field"), INVALID, ids=lambda v: str(v))
def test_bad_input_answers_412_naming_the_field(admin_api, world, method, path, body, field):
    url = "/api" + _fill(path, world)
    if body is None:
        response = admin_api.generic(method, url)
    else:
        response = admin_api.generic(
            method, url, json.dumps(_fill(body, world)),
            content_type="application/json",
        )  # fmt: skip
    _assert_412_naming(response, field)


def _assert_423(response) -> None:
    assert response.status_code == 423, response.content
    error = response.json()["error"]
    assert error["code"] == 423 and error["message"]


def test_a_transmission_in_process_refuses_send_retry_schedule_change_and_delete(admin_api, world):
    tx = f"/api/transmissions/{world['transmission_id']}"
    assert Transmission.objects.get(pk=world["transmission_id"]).status == "processing"
    _assert_423(admin_api.post(f"{tx}/send"))
    _assert_423(admin_api.post(f"{tx}/retry"))
    _assert_423(admin_api.put(f"{tx}/schedule", {"delay": 60}, format="json"))
    _assert_423(admin_api.put(tx, {"title": "renamed"}, format="json"))
    _assert_423(admin_api.delete(tx))
    assert Transmission.objects.get(pk=world["transmission_id"]).title == "t1"


def test_cancelling_a_waiting_retry_makes_the_transmission_deletable(
    admin_api, world, django_capture_on_commit_callbacks
):
    tx = Transmission.objects.get(pk=world["transmission_id"])
    tx.job.status = "retrying"  # the engine waits to try again: shown as pending_retry
    tx.job.save(update_fields=["status"])
    url = f"/api/transmissions/{tx.id}"
    assert admin_api.get(f"{url}/status").json() == {"status": "pending_retry"}
    _assert_423(admin_api.delete(url))
    with django_capture_on_commit_callbacks(execute=True):  # the engine reports on commit
        assert admin_api.delete(f"{url}/schedule").status_code == 200
    assert admin_api.get(f"{url}/status").json() == {"status": "pending"}
    assert admin_api.delete(url).status_code == 200


@pytest.mark.parametrize("status", ["completed", "invalid"])
def test_a_completed_or_invalid_transmission_is_not_sent_again(admin_api, world, status):
    Transmission.objects.filter(pk=world["transmission_id"]).update(status=status)
    _assert_423(admin_api.post(f"/api/transmissions/{world['transmission_id']}/send"))
    # Once no try is under way it may be changed and deleted.
    tx = f"/api/transmissions/{world['transmission_id']}"
    assert admin_api.put(tx, {"title": "done"}, format="json").status_code == 200
    assert admin_api.delete(tx).status_code == 200


def test_a_program_with_transmissions_is_not_deleted(admin_api, world):
    _assert_423(admin_api.delete(f"/api/programs/{world['program_id']}"))


def test_campaign_actions_refused_in_their_state(admin_api, world):
    campaign = f"/api/campaigns/{world['campaign_id']}"
    _assert_423(admin_api.put(f"{campaign}/stop"))  # new: not running
    Campaign.objects.filter(pk=world["campaign_id"]).update(status="running")
    _assert_423(admin_api.put(f"{campaign}/start"))
    _assert_423(admin_api.delete(campaign))
    other_group = admin_api.post("/api/groups", {"name": "later"}, format="json").json()
    _assert_423(admin_api.put(campaign, other_group, format="json"))
    Campaign.objects.filter(pk=world["campaign_id"]).update(status="completed")
    _assert_423(admin_api.put(f"{campaign}/start"))
    _assert_423(admin_api.post(f"{campaign}/start/schedule", {"delay": 60}, format="json"))


def test_deleting_yourself_is_refused(admin_api, admin_user):
    _assert_423(admin_api.delete(f"/api/users/{admin_user.id}"))
