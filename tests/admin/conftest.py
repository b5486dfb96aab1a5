"""Back-office fixtures: a client with some of every row (jobs run through the engine, so
attempts, events and outbox rows are real), known secrets, and logged-in staff browsers."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client as Browser
from django.utils import timezone

from apps.accounts.models import Account
from apps.accounts.services import client_webhook_secret_rotate
from apps.callbacks.models import CallRecord, CallTask, TaskScheduler
from apps.campaigns.services import campaign_create
from apps.cases.models import CaseMember
from apps.cases.services import case_create
from apps.contacts.models import Contact, Group, Membership
from apps.content.models import Document, Recording, Template, Text
from apps.delivery.services.jobs import JobSpec, jobs_create
from apps.jobs.models import KeywordMapping, WhatsAppConsent
from apps.programs.models import Program
from apps.providers.catalog import SERVICE_FLAGS, flag_of_channels
from apps.providers.models import Provider
from apps.transmissions.services import transmission_create
from tests.delivery.conftest import run_engine
from tests.factories import UserFactory

PROVIDER_SECRET = "provider-pass-Zq81"
ACCOUNT_SECRET = "account-pass-Xv42"
PIN_SECRET = "pin-Wk7319"
FAILING = "+15005550009"


@dataclass
class World:
    """What ``world`` made: rows to look for, and every secret no page may show."""

    provider: Provider
    account: Account
    campaign: object
    transmission: object
    jobs: dict
    secrets: list = field(default_factory=list)


def browser_for(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


@pytest.fixture
def superuser(db):
    return UserFactory(client=None, is_staff=True, is_superuser=True)


@pytest.fixture
def staff(superuser):
    """A back-office session of global staff (sees every client)."""
    return browser_for(superuser)


@pytest.fixture
def tenant_staff_user(tenant):
    return UserFactory(client=tenant, is_staff=True, roles=["admin"])


@pytest.fixture
def tenant_staff(tenant_staff_user):
    """A back-office session of a client's admin (sees that client's rows only)."""
    return browser_for(tenant_staff_user)


def sandbox_for(client, name: str = "sandbox") -> Provider:
    """A sandbox provider for every channel, with a password; FAILING fails permanently."""
    return Provider.objects.create(
        client=client, name=name, type="sandbox", service_flag=flag_of_channels(SERVICE_FLAGS),
        password=PROVIDER_SECRET, settings={"fail_recipients": [FAILING], "failure": "permanent"},
    )  # fmt: skip


def make_jobs(client_id: int, capture, *, count: int = 1) -> dict:
    """``count`` delivered SMS, one failed, one email and one scheduled a day ahead."""
    specs = [JobSpec(channel="sms", payload={"to": f"+1500555{n:04d}", "text": "hi"},
                     log_tag="OTP") for n in range(count)]  # fmt: skip
    specs += [
        JobSpec(channel="sms", payload={"to": FAILING, "text": "x"}, log_tag="FAILS"),
        JobSpec(channel="email", payload={"to": ["ops@example.com"], "subject": "s", "text": "t"}),
    ]
    made = jobs_create(client_id=client_id, specs=specs)
    later = timezone.now() + timedelta(days=1)
    future = jobs_create(client_id=client_id, specs=[JobSpec(channel="sms", run_at=later,
                         payload={"to": "+15005550100", "text": "later"})])  # fmt: skip
    run_engine(capture)
    return {"delivered": made[0], "failed": made[count], "email": made[-1], "future": future[0]}


def _content(tenant, owner) -> dict:
    text = Text.objects.create(client=tenant, name="promo", data="Sale today")
    program = Program.objects.create(client=tenant, name="Promo", type="sendsms",
                                     data={"text_id": text.id})  # fmt: skip
    Template.objects.create(client=tenant, name="welcome", subject="Hi", body="Hello")
    Document.objects.create(client=tenant, name="contract")
    Recording.objects.create(client=tenant, name="greeting")
    group = Group.objects.create(client=tenant, name="customers")
    contacts = [Contact.objects.create(client=tenant, first_name=f"Cust{n}",
                                       phone=f"+1202555{n:04d}") for n in range(3)]  # fmt: skip
    Membership.objects.bulk_create([Membership(group=group, contact=c) for c in contacts])
    return {"program": program, "group": group, "contact": contacts[0], "owner": owner}


def _callbacks(tenant, job) -> None:
    scheduler = TaskScheduler.objects.create(client=tenant, name="callback queue")
    now = timezone.now()
    task = CallTask.objects.create(client=tenant, scheduler=scheduler, a_number="+15005550001",
                                   b_number="+15005550002", start_time_utc=now,
                                   next_run_at=now)  # fmt: skip
    CallRecord.objects.create(client=tenant, task=task, scheduler=scheduler,
                              a_number="+15005550001", b_number="+15005550002")  # fmt: skip


def _case(tenant, owner) -> None:
    case = case_create(client_id=tenant.id, created_by=owner, task_time=None, business_id=1,
                       out_task_num="OUT-1", task_type="normal", room_type="normal",
                       branch_code="9")  # fmt: skip
    CaseMember.objects.create(case=case, role="publisher", name="Chen", id_num="A1")


@pytest.fixture
def world(tenant, other_tenant, tenant_staff_user, django_capture_on_commit_callbacks) -> World:
    """Some of every row for ``tenant`` (and a provider of ``other_tenant``)."""
    provider = sandbox_for(tenant)
    sandbox_for(other_tenant, name="Their gateway")
    client_webhook_secret_rotate(client=tenant)
    tenant.refresh_from_db()
    account = Account.objects.create(client=tenant, owner=tenant_staff_user, username="caller",
                                     phone="+15005550006", passwd=ACCOUNT_SECRET,
                                     passwd_pin=PIN_SECRET)  # fmt: skip
    content = _content(tenant, tenant_staff_user)
    campaign = campaign_create(client_id=tenant.id, program=content["program"],
                               group=content["group"], account=account)  # fmt: skip
    transmission = transmission_create(client_id=tenant.id, program=content["program"],
                                       contact=content["contact"], account=account)  # fmt: skip
    jobs = make_jobs(tenant.id, django_capture_on_commit_callbacks)
    _callbacks(tenant, jobs["delivered"])
    _case(tenant, tenant_staff_user)
    KeywordMapping.objects.create(client=tenant, keyword="HELLO", data={"reply": "hi"})
    WhatsAppConsent.objects.create(client=tenant, cache_key="+15005550006", state="opted_in")
    secrets = [PROVIDER_SECRET, ACCOUNT_SECRET, PIN_SECRET, tenant.webhook_secret,
               tenant.settings["previous_webhook_secret"], other_tenant.webhook_secret]  # fmt: skip
    return World(provider, account, campaign, transmission, jobs, secrets)
