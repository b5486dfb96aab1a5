"""Every back-office page opens: the changelist (with a row) and the add form of each model."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from apps.delivery.services.jobs import JobSpec, jobs_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_browser(tenant):
    user = UserFactory(client=tenant, is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(user)
    jobs_create(client_id=tenant.id, specs=[JobSpec(channel="sms", payload={"to": "+15005550006"})])
    return browser


@pytest.mark.parametrize(
    "model", list(admin.site._registry), ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_changelist_and_add_pages_open(staff_browser, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert staff_browser.get(changelist).status_code == 200
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert staff_browser.get(add).status_code in (200, 403)  # 403: read-only pages (outbox)


def test_every_admin_of_a_tenant_model_is_tenant_scoped():
    from apps.accounts.admin import TenantAdminMixin

    unscoped = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if any(f.name == "client" for f in model._meta.fields)
        and not isinstance(model_admin, TenantAdminMixin)
    ]
    assert unscoped == []


def test_tenant_staff_see_only_their_clients_jobs(tenant, other_tenant):
    staff = UserFactory(client=tenant, is_staff=True, roles=["admin"])
    browser = Client()
    browser.force_login(staff)
    mine = jobs_create(client_id=tenant.id, specs=[JobSpec(channel="sms", payload={})])[0]
    theirs = jobs_create(client_id=other_tenant.id, specs=[JobSpec(channel="sms", payload={})])[0]
    page = browser.get(reverse("admin:delivery_job_changelist")).content.decode()
    assert str(mine.uuid) in page and str(theirs.uuid) not in page
