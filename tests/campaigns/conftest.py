"""Campaign fixtures: an SMS program with a sandbox provider, and groups of contacts."""

import pytest

from apps.accounts.models import Account
from apps.contacts.models import Contact, Group, Membership
from apps.content.models import Text
from apps.programs.models import Program
from apps.providers.models import Provider


@pytest.fixture
def sms(tenant, admin_user):
    """A sandbox SMS+email provider, a sendsms program and the admin's sending account."""
    Provider.objects.create(client=tenant, name="sb", type="sandbox", service_flag=4 | 8)
    text = Text.objects.create(client=tenant, name="promo", data="Sale today")
    program = Program.objects.create(
        client=tenant, name="Promo", type="sendsms", data={"text_id": text.id}
    )
    account = Account.objects.create(
        client=tenant, owner=admin_user, username="caller", phone="+15005550006"
    )
    return {"text": text, "program": program, "account": account}


def make_group(tenant, size: int, *, name: str = "customers") -> Group:
    """A group of ``size`` contacts with distinct phones (+1202555xxxx)."""
    group = Group.objects.create(client=tenant, name=name)
    contacts = Contact.objects.bulk_create(
        [Contact(client=tenant, phone=f"+1202555{n:04d}") for n in range(size)]
    )
    Membership.objects.bulk_create([Membership(group=group, contact=c) for c in contacts])
    return group


def create_campaign(api, program_id: int, group_id: int, **extra) -> int:
    body = {"program_id": program_id, "group_id": group_id, **extra}
    response = api.post("/api/campaigns", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()["campaign_id"]
