"""The first start of a campaign of 100,000 contacts prepares every transmission in bulk."""

import time

import pytest
from django.db import connection

from apps.campaigns.models import Campaign
from apps.contacts.bulk import members_insert
from apps.contacts.models import Group
from apps.delivery.models import Job
from apps.transmissions.models import Transmission

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the 100k-contact prepare is sized for PostgreSQL (set DATABASE_URL=postgres://…)",
    ),
]

CONTACTS = 100_000


def test_100k_contacts_become_100k_transmissions_and_only_a_window_of_jobs(
    admin_api, sms, tenant, admin_user
):
    group = Group.objects.create(client=tenant, name="everyone")
    rows = [
        {"phone": f"+1202{n:07d}", "first_name": "", "last_name": "", "email": "",
         "address": "", "custom1": "", "custom2": "", "custom3": "", "description": ""}
        for n in range(CONTACTS)
    ]  # fmt: skip
    members_insert(group=group, rows=rows, created_by_id=admin_user.id)
    body = {"program_id": sms["program"].id, "group_id": group.id, "cpm": 600, "try_allowed": 2}
    campaign_id = admin_api.post("/api/campaigns", body, format="json").json()["campaign_id"]
    began = time.perf_counter()
    response = admin_api.put(f"/api/campaigns/{campaign_id}/start")
    elapsed = time.perf_counter() - began
    assert response.status_code == 200, response.content
    print(f"\nprepare + first pump of {CONTACTS} contacts: {elapsed:.2f} s")
    rows = Transmission.objects.filter(campaign_id=campaign_id)
    assert rows.count() == CONTACTS
    assert rows.values("contact_id").distinct().count() == CONTACTS
    assert not rows.exclude(try_allowed=2).exists()
    assert Job.objects.filter(meta__campaign_id=campaign_id).count() == 600  # one minute's
    shown = admin_api.get(f"/api/campaigns/{campaign_id}").json()
    assert (shown["contact_total"], shown["pending"]) == (CONTACTS, CONTACTS)
    assert Campaign.objects.get(pk=campaign_id).status == "running"
