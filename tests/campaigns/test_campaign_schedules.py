"""Campaign schedules are rows the pump task executes: they really start and stop."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.campaigns.models import Campaign, CampaignSchedule
from apps.campaigns.services import campaigns_pump
from apps.delivery.models import Job
from tests.campaigns.conftest import create_campaign, make_group

pytestmark = pytest.mark.django_db


def _status(campaign_id: int) -> str:
    return Campaign.objects.get(pk=campaign_id).status


def test_schedules_really_start_and_stop_the_campaign(admin_api, sms, tenant):
    campaign_id = create_campaign(admin_api, sms["program"].id, make_group(tenant, 4).id)
    past = int(time.time()) - 60
    start = admin_api.post(
        f"/api/campaigns/{campaign_id}/start/schedule", {"timestamp": past}, format="json"
    )
    assert start.status_code == 200 and set(start.json()) == {"schedule_id", "run_at"}
    stop = admin_api.post(
        f"/api/campaigns/{campaign_id}/stop/schedule", {"delay": 3600}, format="json"
    )
    assert _status(campaign_id) == "new"  # nothing happens until the pump runs
    campaigns_pump()  # the beat task: the start is due, the stop is not
    assert _status(campaign_id) == "running"
    assert Job.objects.filter(meta__campaign_id=campaign_id, status="scheduled").exists()
    done = CampaignSchedule.objects.get(pk=start.json()["schedule_id"])
    assert done.done_at is not None and done.outcome == "started"
    campaigns_pump()  # one-shot: it does not run twice
    assert CampaignSchedule.objects.filter(done_at__isnull=False).count() == 1
    campaigns_pump(now=timezone.now() + timedelta(hours=2))
    assert _status(campaign_id) == "paused"
    assert not Job.objects.filter(meta__campaign_id=campaign_id, status="scheduled").exists()
    assert CampaignSchedule.objects.get(pk=stop.json()["schedule_id"]).outcome == "stopped"


def test_cancelled_schedules_never_run_and_refusals_are_recorded(admin_api, sms, tenant):
    campaign_id = create_campaign(admin_api, sms["program"].id, make_group(tenant, 2).id)
    path = f"/api/campaigns/{campaign_id}"
    admin_api.post(f"{path}/start/schedule", {"delay": 60}, format="json")
    admin_api.put(f"{path}/start/schedule", {"delay": 120}, format="json")
    assert admin_api.delete(f"{path}/schedule").json() is True
    assert set(CampaignSchedule.objects.values_list("cancelled", flat=True)) == {True}
    campaigns_pump(now=timezone.now() + timedelta(hours=1))
    assert _status(campaign_id) == "new"
    # A stop of a campaign that is not running is refused, and says so.
    stop = admin_api.post(f"{path}/stop/schedule", {"delay": 0}, format="json").json()
    campaigns_pump(now=timezone.now() + timedelta(seconds=1))
    outcome = CampaignSchedule.objects.get(pk=stop["schedule_id"]).outcome
    assert outcome.startswith("refused") and "not running" in outcome


def test_cron_like_fields_pick_the_next_matching_minute(admin_api, sms, tenant):
    campaign_id = create_campaign(admin_api, sms["program"].id, make_group(tenant, 1).id)
    body = {"hour": "3", "minute": "15"}
    answer = admin_api.post(f"/api/campaigns/{campaign_id}/start/schedule", body, format="json")
    run_at = CampaignSchedule.objects.get(pk=answer.json()["schedule_id"]).run_at
    assert (run_at.hour, run_at.minute) == (3, 15) and run_at > timezone.now()
    bad = admin_api.post(f"/api/campaigns/{campaign_id}/start/schedule", {}, format="json")
    assert bad.status_code == 412


def test_a_completed_campaign_cannot_be_scheduled(admin_api, sms, tenant):
    campaign_id = create_campaign(admin_api, sms["program"].id, make_group(tenant, 1).id)
    Campaign.objects.filter(pk=campaign_id).update(status="completed")
    answer = admin_api.post(f"/api/campaigns/{campaign_id}/start/schedule", {"delay": 5},
                            format="json")  # fmt: skip
    assert answer.status_code == 423
