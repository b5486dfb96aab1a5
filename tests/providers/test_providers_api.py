"""Providers API: CRUD, write-only encrypted password, validation, tenancy, permissions."""

import pytest
from django.db import connection

from apps.providers.models import Provider
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db

TWILIO = {
    "name": "Twilio main",
    "type": "twilio",
    "service_flag": 4,
    "username": "AC123",
    "password": "tw-secret-token",
    "weight": 5,
    "settings": '{"from": "+15005550006"}',
}


def test_create_answers_provider_id_and_encrypts_the_password(admin_api, tenant):
    response = admin_api.post("/api/providers", TWILIO, format="json")
    assert response.status_code == 200, response.content
    provider = Provider.objects.get(pk=response.json()["provider_id"])
    assert provider.client == tenant and provider.password == "tw-secret-token"
    assert provider.settings == {"from": "+15005550006"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT password FROM providers_provider WHERE id = %s", [provider.id])
        stored = cursor.fetchone()[0]
    assert stored.startswith("enc:") and "tw-secret-token" not in stored


def test_password_is_never_returned(admin_api, tenant):
    provider_id = admin_api.post("/api/providers", TWILIO, format="json").json()["provider_id"]
    body = admin_api.get(f"/api/providers/{provider_id}").json()
    assert "password" not in body and body["channels"] == ["sms"]
    assert all("password" not in row for row in admin_api.get("/api/providers").json())


@pytest.mark.parametrize(
    ("field", "value"),
    [("type", "carrier-pigeon"), ("service_flag", 8), ("service_flag", 0), ("settings", "{bad"),
     ("max_per_second", 0), ("max_per_second", -1), ("max_per_second", "fast")],
)  # fmt: skip
def test_bad_fields_answer_412_naming_them(admin_api, field, value):
    response = admin_api.post("/api/providers", {**TWILIO, field: value}, format="json")
    assert response.status_code == 412 and field in response.json()["error"]["fields"]
    assert not Provider.objects.exists()


def test_a_rate_limit_is_set_shown_and_removed(admin_api, tenant):
    body = {**TWILIO, "max_per_second": 1.5}
    provider_id = admin_api.post("/api/providers", body, format="json").json()["provider_id"]
    assert Provider.objects.get(pk=provider_id).max_per_second == 1.5
    assert admin_api.get(f"/api/providers/{provider_id}").json()["max_per_second"] == 1.5
    path = f"/api/providers/{provider_id}"
    assert admin_api.put(path, {"max_per_second": None}, format="json").status_code == 200
    assert Provider.objects.get(pk=provider_id).max_per_second is None


def test_update_keeps_the_password_when_none_is_given_and_refuses_a_type_change(admin_api, tenant):
    provider_id = admin_api.post("/api/providers", TWILIO, format="json").json()["provider_id"]
    response = admin_api.put(
        f"/api/providers/{provider_id}", {"weight": 1, "password": ""}, format="json"
    )
    assert response.status_code == 200 and response.json()["weight"] == 1
    assert Provider.objects.get(pk=provider_id).password == "tw-secret-token"
    response = admin_api.put(f"/api/providers/{provider_id}", {"type": "msg91"}, format="json")
    assert response.status_code == 412 and "type" in response.json()["error"]["fields"]


def test_filters_and_delete(admin_api, tenant):
    admin_api.post("/api/providers", TWILIO, format="json")
    admin_api.post(
        "/api/providers", {"name": "mail", "type": "smtp", "service_flag": 8}, format="json"
    )
    assert [p["name"] for p in admin_api.get("/api/providers?service_flag=8").json()] == ["mail"]
    assert [p["name"] for p in admin_api.get("/api/providers?type=twilio").json()] == [
        "Twilio main"
    ]
    mail = Provider.objects.get(name="mail")
    assert admin_api.delete(f"/api/providers/{mail.id}").status_code == 200
    assert not Provider.objects.filter(pk=mail.id).exists()


def test_another_clients_provider_answers_404(admin_api, other_tenant):
    theirs = Provider.objects.create(client=other_tenant, name="x", type="sandbox", service_flag=4)
    assert admin_api.get(f"/api/providers/{theirs.id}").status_code == 404
    assert (
        admin_api.put(f"/api/providers/{theirs.id}", {"weight": 1}, format="json").status_code
        == 404
    )
    assert admin_api.delete(f"/api/providers/{theirs.id}").status_code == 404
    assert admin_api.get("/api/providers").json() == []


def test_plain_users_cannot_manage_providers(user_api):
    assert user_api.get("/api/providers").status_code == 403
    assert user_api.post("/api/providers", TWILIO, format="json").status_code == 403


def test_webhook_secret_read_and_rotate(admin_api, tenant, user_api):
    first = admin_api.get("/api/webhook_secret").json()
    assert first["secret"] == tenant.webhook_secret and first["secret"].startswith("whsec_")
    rotated = admin_api.post("/api/webhook_secret/rotate").json()
    tenant.refresh_from_db()
    assert rotated["secret"] == tenant.webhook_secret != first["secret"]
    assert tenant.settings["previous_webhook_secret"] == first["secret"]
    assert rotated["previous_secret_valid_until"]
    assert admin_api.post("/api/webhook_secret").status_code == 405
    assert user_api.get("/api/webhook_secret").status_code == 403


def test_global_staff_creates_for_a_named_client(global_staff, tenant):
    api = api_client_for(global_staff)
    assert api.post("/api/providers", TWILIO, format="json").status_code == 412
    response = api.post("/api/providers", {**TWILIO, "client_id": tenant.id}, format="json")
    assert Provider.objects.get(pk=response.json()["provider_id"]).client == tenant
