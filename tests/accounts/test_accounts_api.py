"""Accounts (communication identities) API: CRUD, secrets, settings, ownership, tenancy."""

import pytest
from django.db import connection

from apps.accounts.models import Account
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DID = {"type": "did", "username": "did-1001", "passwd": "sip-secret", "passwd_pin": "4321",
       "phone": "+12135551234", "email": "fax@example.com", "active": 1}  # fmt: skip


def _create(api, **extra) -> int:
    response = api.post("/api/accounts", {**DID, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["account_id"]


def test_create_read_and_secrets_are_encrypted_and_never_returned(admin_api, admin_user):
    account_id = _create(admin_api)
    body = admin_api.get(f"/api/accounts/{account_id}").json()
    assert (
        body["username"] == "did-1001"
        and body["type"] == "did"
        and body["user_id"] == admin_user.id
    )
    assert "passwd" not in body and "passwd_pin" not in body
    account = Account.objects.get(pk=account_id)
    assert account.passwd == "sip-secret"
    with connection.cursor() as cursor:
        cursor.execute("SELECT passwd FROM accounts_account WHERE id = %s", [account_id])
        assert "sip-secret" not in cursor.fetchone()[0]


def test_duplicate_username_per_type_and_bad_phone_answer_412(admin_api):
    _create(admin_api)
    clash = admin_api.post("/api/accounts", DID, format="json")
    assert clash.status_code == 412 and "username" in clash.json()["error"]["fields"]
    assert (
        admin_api.post("/api/accounts", {**DID, "type": "extension"}, format="json").status_code
        == 200
    )
    bad = admin_api.post(
        "/api/accounts", {**DID, "username": "x", "phone": "call me"}, format="json"
    )
    assert bad.status_code == 412 and "phone" in bad.json()["error"]["fields"]


def test_update_merges_settings_and_keeps_secrets_when_empty(admin_api):
    account_id = _create(admin_api, settings={"coverpage": "sendcover"})
    change = {"settings": {"emailtofax_coversheet": "body"}, "passwd": ""}
    response = admin_api.put(f"/api/accounts/{account_id}", change, format="json")
    assert response.status_code == 200
    assert response.json()["settings"] == {
        "coverpage": "sendcover",
        "emailtofax_coversheet": "body",
    }
    assert Account.objects.get(pk=account_id).passwd == "sip-secret"


def test_settings_get_put_delete(admin_api):
    account_id = _create(admin_api)
    url = f"/api/accounts/{account_id}/settings/coverpage"
    assert admin_api.get(url).status_code == 404
    assert admin_api.put(url, {"value": "sendcover"}, format="json").status_code == 200
    assert admin_api.get(url).json() == {"value": "sendcover"}
    assert (
        admin_api.put(url, {"data": "disabled"}, format="json").json()["settings"]["coverpage"]
        == "disabled"
    )
    assert admin_api.put(url, {}, format="json").status_code == 412
    assert admin_api.delete(url).status_code == 200
    assert admin_api.get(url).status_code == 404


def test_ownership_change_and_dissociate(admin_api, tenant, other_tenant):
    account_id = _create(admin_api)
    colleague = UserFactory(client=tenant)
    stranger = UserFactory(client=other_tenant)
    assert (
        admin_api.put(f"/api/accounts/{account_id}/users/{colleague.id}").json()["user_id"]
        == colleague.id
    )
    assert admin_api.put(f"/api/accounts/{account_id}/users/{stranger.id}").status_code == 404
    assert admin_api.delete(f"/api/accounts/{account_id}/users").json()["user_id"] is None


def test_filters_delete_and_tenancy(admin_api, other_tenant):
    account_id = _create(admin_api)
    _create(admin_api, username="ext-7", type="extension", phone="1007")
    assert [a["username"] for a in admin_api.get("/api/accounts?type=extension").json()] == [
        "ext-7"
    ]
    assert [a["username"] for a in admin_api.get("/api/accounts?email=fax@").json()] == [
        "did-1001",
        "ext-7",
    ]
    theirs = Account.objects.create(client=other_tenant, username="theirs")
    for method in ("get", "put", "delete"):
        assert (
            getattr(admin_api, method)(f"/api/accounts/{theirs.id}", {}, format="json").status_code
            == 404
        )
    assert admin_api.delete(f"/api/accounts/{account_id}").status_code == 200
    assert not Account.objects.filter(pk=account_id).exists()


def test_plain_user_reads_and_updates_but_cannot_create_or_delete(user_api, admin_api):
    account_id = _create(admin_api)
    assert user_api.get(f"/api/accounts/{account_id}").status_code == 200
    assert (
        user_api.put(
            f"/api/accounts/{account_id}", {"first_name": "Fax"}, format="json"
        ).status_code
        == 200
    )
    assert (
        user_api.post("/api/accounts", {**DID, "username": "u2"}, format="json").status_code == 403
    )
    assert user_api.delete(f"/api/accounts/{account_id}").status_code == 403
