"""manage.py client_bootstrap: client, admin user, generated password once, sandbox provider."""

import io

import pytest
from django.core.management import call_command

from apps.accounts.models import Client, User
from apps.providers.models import Provider

pytestmark = pytest.mark.django_db


def test_bootstrap_creates_client_admin_and_sandbox_and_is_idempotent():
    out = io.StringIO()
    call_command(
        "client_bootstrap", "--client-code", "acme", "--username", "boss", "--sandbox", stdout=out
    )
    assert "generated password" in out.getvalue()
    password = out.getvalue().rsplit(": ", 1)[1].strip()
    user = User.objects.get(username="boss")
    assert user.client == Client.objects.get(code="acme") and user.check_password(password)
    assert user.groups.filter(name="admin").exists() and user.is_staff
    provider = Provider.objects.get(client=user.client, type="sandbox")
    assert provider.serves("sms") and provider.serves("webhook") and not provider.serves("voice")
    assert Provider.objects.get(client=user.client, type="simulator").serves("voice")
    again = io.StringIO()
    call_command(
        "client_bootstrap", "--client-code", "acme", "--username", "boss", "--sandbox", stdout=again
    )
    assert "generated password" not in again.getvalue()
    assert Provider.objects.filter(client=user.client).count() == 2


def test_bootstrap_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("FUSION_ADMIN_PASSWORD", "From-env-pass-1")
    monkeypatch.setenv("FUSION_ADMIN_USERNAME", "envadmin")
    out = io.StringIO()
    call_command("client_bootstrap", stdout=out)
    assert "generated password" not in out.getvalue()
    assert User.objects.get(username="envadmin").check_password("From-env-pass-1")
