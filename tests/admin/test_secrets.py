"""Secrets in the back-office: provider and account passwords are write-only (an empty input
keeps them), view-only pages leave them out, and a client's webhook secrets are never shown,
only a fingerprint; the rotate action replaces them."""

import pytest
from django.contrib.messages import get_messages

from apps.accounts.admin import secret_fingerprint
from apps.accounts.models import Account, Client
from apps.providers.models import Provider
from tests.admin.conftest import ACCOUNT_SECRET, PIN_SECRET, PROVIDER_SECRET, browser_for
from tests.cases.conftest import user_with_permissions

pytestmark = pytest.mark.django_db


def _provider_form(provider: Provider, **changes) -> dict:
    form = {"client": provider.client_id, "name": provider.name, "type": provider.type,
            "service_flag": provider.service_flag, "node_id": 1, "settings": "{}",
            "weight": provider.weight, "active": "on", "password": ""}  # fmt: skip
    return {**form, **changes}


def test_the_provider_password_is_write_only(tenant_staff, world):
    url = f"/admin/providers/provider/{world.provider.pk}/change/"
    html = tenant_staff.get(url).content.decode()
    assert PROVIDER_SECRET not in html and 'type="password"' in html and "password: set" in html
    response = tenant_staff.post(url, _provider_form(world.provider, name="renamed"))
    assert response.status_code == 302, response.content.decode()[:2000]
    world.provider.refresh_from_db()
    assert world.provider.name == "renamed" and world.provider.password == PROVIDER_SECRET
    tenant_staff.post(url, _provider_form(world.provider, password="new-token"))
    assert Provider.objects.get(pk=world.provider.pk).password == "new-token"


def test_staff_set_and_clear_a_providers_rate_limit(tenant_staff, world):
    url = f"/admin/providers/provider/{world.provider.pk}/change/"
    assert 'name="max_per_second"' in tenant_staff.get(url).content.decode()
    assert (
        tenant_staff.post(url, _provider_form(world.provider, max_per_second="2.5")).status_code
        == 302
    )
    assert Provider.objects.get(pk=world.provider.pk).max_per_second == 2.5
    refused = tenant_staff.post(url, _provider_form(world.provider, max_per_second="0"))
    assert refused.status_code == 200  # the form again, with the error
    assert (
        tenant_staff.post(url, _provider_form(world.provider, max_per_second="")).status_code == 302
    )
    assert Provider.objects.get(pk=world.provider.pk).max_per_second is None


def test_a_view_only_page_leaves_the_password_out(tenant, world):
    user = user_with_permissions(tenant, "providers.view_provider")
    user.is_staff = True
    user.save()
    viewer = browser_for(user)
    html = viewer.get(f"/admin/providers/provider/{world.provider.pk}/change/").content.decode()
    assert "password: set" in html and PROVIDER_SECRET not in html
    assert 'name="password"' not in html


def test_account_passwords_and_pins_are_write_only(tenant_staff, world):
    url = f"/admin/accounts/account/{world.account.pk}/change/"
    html = tenant_staff.get(url).content.decode()
    assert ACCOUNT_SECRET not in html and PIN_SECRET not in html
    assert "passwd: set; passwd_pin: set" in html
    form = {"client": world.account.client_id, "type": "account", "username": "caller",
            "owner": world.account.owner_id, "settings": "{}", "active": "on",
            "passwd": "", "passwd_pin": "1234"}  # fmt: skip
    assert tenant_staff.post(url, form).status_code == 302
    account = Account.objects.get(pk=world.account.pk)
    assert account.passwd == ACCOUNT_SECRET and account.passwd_pin == "1234"


def test_the_webhook_secret_shows_as_a_fingerprint_and_settings_keep_the_previous_one(
    staff, tenant, world
):
    url = f"/admin/accounts/client/{tenant.pk}/change/"
    html = staff.get(url).content.decode()
    assert secret_fingerprint(tenant.webhook_secret) in html
    assert "previous_webhook_secret" not in html
    form = {"name": tenant.name, "code": tenant.code, "active": "on",
            "settings": '{"default_region": "PK"}'}  # fmt: skip
    assert staff.post(url, form).status_code == 302
    stored = Client.objects.get(pk=tenant.pk)
    assert stored.settings["default_region"] == "PK"
    assert stored.settings["previous_webhook_secret"] == tenant.settings["previous_webhook_secret"]
    assert stored.webhook_secret == tenant.webhook_secret


def test_client_staff_see_their_client_read_only_without_secrets(tenant_staff, tenant, world):
    html = tenant_staff.get(f"/admin/accounts/client/{tenant.pk}/change/").content.decode()
    assert 'name="settings"' not in html and "sha256:" in html
    assert all(secret not in html for secret in world.secrets)


def test_the_rotate_action_replaces_the_secret_and_says_where_to_read_it(tenant_staff, tenant):
    old = tenant.webhook_secret
    body = {"action": "clients_rotate_webhook_secret", "_selected_action": [tenant.pk]}
    response = tenant_staff.post("/admin/accounts/client/", body, follow=True)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said and "GET /api/webhook_secret" in said[0]
    tenant.refresh_from_db()
    assert tenant.webhook_secret != old and tenant.settings["previous_webhook_secret"] == old
    assert old not in response.content.decode() and tenant.webhook_secret not in said[0]
