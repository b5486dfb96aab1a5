"""Start, pacing through the engine, stop/resume, re-pacing and completion."""

from collections import Counter
from datetime import timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from apps.campaigns.models import Campaign
from apps.campaigns.services import campaign_pump, campaigns_pump
from apps.contacts.models import Contact, Membership
from apps.delivery.models import Job, OutboxMessage, Priority
from apps.transmissions.models import Transmission
from tests.campaigns.conftest import create_campaign, make_group
from tests.delivery.conftest import run_engine

pytestmark = pytest.mark.django_db


def _jobs(campaign_id: int):
    return Job.objects.filter(meta__campaign_id=campaign_id).order_by("run_at", "id")


def _gaps(jobs) -> set[float]:
    """Seconds between consecutive jobs' run_at."""
    return {round((b.run_at - a.run_at).total_seconds(), 6) for a, b in pairwise(jobs)}


def _due_now() -> None:
    """Make every waiting job due, as time passing would."""
    Job.objects.filter(status__in=Job.WAITING).update(run_at=timezone.now())


def _counters(api, campaign_id: int) -> dict:
    body = api.get(f"/api/campaigns/{campaign_id}").json()
    return {k: body[k] for k in ("status", "contact_total", "pending", "sent", "succeeded",
                                 "failed")}  # fmt: skip


def test_start_prepares_one_transmission_per_contact_with_try_allowed(admin_api, sms, tenant):
    group = make_group(tenant, 5)
    campaign_id = create_campaign(admin_api, sms["program"].id, group.id, try_allowed=3)
    assert admin_api.put(f"/api/campaigns/{campaign_id}/start").json() is True
    rows = Transmission.objects.filter(campaign_id=campaign_id)
    assert sorted(rows.values_list("contact_id", flat=True)) == sorted(
        group.memberships.values_list("contact_id", flat=True)
    )
    assert {(t.try_allowed, t.program_id, t.account_id, t.direction, t.origin, t.client_id)
            for t in rows} == {(3, sms["program"].id, sms["account"].id, "outbound", "sendsms",
                                tenant.id)}  # fmt: skip
    assert Campaign.objects.get(pk=campaign_id).status == "running"
    # The first window's jobs carry the tries: try_allowed reaches the engine.
    assert {job.attempts_allowed for job in _jobs(campaign_id)} == {3}
    # A contact added later is not picked up (ICTCore: the group "at this moment").
    late = Contact.objects.create(client=tenant, phone="+12025559999")
    Membership.objects.create(group=group, contact=late)
    campaigns_pump(now=timezone.now() + timedelta(minutes=10))
    assert rows.count() == 5


def test_jobs_are_paced_60_over_cpm_seconds_apart_a_window_at_a_time(admin_api, sms, tenant):
    campaign_id = create_campaign(admin_api, sms["program"].id, make_group(tenant, 100).id, cpm=60)
    before = timezone.now()
    admin_api.put(f"/api/campaigns/{campaign_id}/start")
    jobs = list(_jobs(campaign_id))
    assert len(jobs) == 60  # the next minute only, not all 100
    assert _gaps(jobs) == {1.0} and jobs[0].run_at >= before
    assert {(j.priority, j.origin, j.status) for j in jobs} == {
        (Priority.LOW, "comms", "scheduled")
    }
    linked = Transmission.objects.filter(campaign_id=campaign_id, job__isnull=False)
    assert {t.job.meta["transmission_id"] for t in linked} == {t.id for t in linked}
    assert {j.meta["campaign_id"] for j in jobs} == {campaign_id}
    # Five seconds later the pump continues the spacing from where it stopped.
    later = jobs[0].run_at + timedelta(seconds=5)
    assert campaign_pump(campaign_id=campaign_id, now=later) == 5
    assert campaign_pump(campaign_id=campaign_id, now=later) == 0  # never two jobs each
    jobs = list(_jobs(campaign_id))
    assert (jobs[60].run_at - jobs[59].run_at).total_seconds() == pytest.approx(1.0)
    assert Transmission.objects.filter(campaign_id=campaign_id, job__isnull=False).count() == 65


def test_engine_delivers_and_the_campaign_completes_with_counters(
    admin_api, sms, tenant, django_capture_on_commit_callbacks
):
    group = make_group(tenant, 3)
    mail_only = Contact.objects.create(client=tenant, email="only@example.com")
    Membership.objects.create(group=group, contact=mail_only)
    campaign_id = create_campaign(admin_api, sms["program"].id, group.id, cpm=6000)
    admin_api.put(f"/api/campaigns/{campaign_id}/start")
    no_phone = Transmission.objects.get(campaign_id=campaign_id, contact=mail_only)
    assert no_phone.status == "failed" and "phone" in no_phone.response  # never left pending
    _due_now()
    run_engine(django_capture_on_commit_callbacks)
    assert sorted(OutboxMessage.objects.values_list("recipient", flat=True)) == [
        "+12025550000", "+12025550001", "+12025550002",
    ]  # fmt: skip
    assert _counters(admin_api, campaign_id)["status"] == "running"
    campaigns_pump()  # the beat task notices nothing is left
    assert _counters(admin_api, campaign_id) == {
        "status": "completed", "contact_total": 4, "pending": 0, "sent": 3, "succeeded": 3,
        "failed": 1,
    }  # fmt: skip
    refused = admin_api.put(f"/api/campaigns/{campaign_id}/start")
    assert refused.status_code == 423 and "completed" in refused.json()["error"]["message"]


def test_stop_withdraws_waiting_jobs_and_resume_sends_every_contact_exactly_once(
    admin_api, sms, tenant, django_capture_on_commit_callbacks
):
    group = make_group(tenant, 100)
    campaign_id = create_campaign(admin_api, sms["program"].id, group.id, cpm=60)
    admin_api.put(f"/api/campaigns/{campaign_id}/start")
    first_ten = [job.id for job in _jobs(campaign_id)[:10]]
    Job.objects.filter(id__in=first_ten).update(run_at=timezone.now())
    run_engine(django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.count() == 10
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_api.put(f"/api/campaigns/{campaign_id}/stop").json() is True
    assert Campaign.objects.get(pk=campaign_id).status == "paused"
    assert Counter(_jobs(campaign_id).values_list("status", flat=True)) == {
        "succeeded": 10, "cancelled": 50,
    }  # fmt: skip
    assert _counters(admin_api, campaign_id)["pending"] == 90
    assert admin_api.put(f"/api/campaigns/{campaign_id}/stop").status_code == 423
    campaigns_pump()
    assert Job.objects.filter(status__in=Job.WAITING).count() == 0  # paused: nothing new
    resumed_at = timezone.now()
    admin_api.put(f"/api/campaigns/{campaign_id}/start")
    assert _jobs(campaign_id).filter(status="scheduled").earliest("run_at").run_at >= resumed_at
    for minute in range(1, 5):
        _due_now()
        run_engine(django_capture_on_commit_callbacks, rounds=20)
        campaigns_pump(now=timezone.now() + timedelta(minutes=minute))
    assert _counters(admin_api, campaign_id) == {
        "status": "completed", "contact_total": 100, "pending": 0, "sent": 100,
        "succeeded": 100, "failed": 0,
    }  # fmt: skip
    sent_to = Counter(OutboxMessage.objects.values_list("recipient", flat=True))
    phones = set(Contact.objects.filter(memberships__group=group).values_list("phone", flat=True))
    assert set(sent_to) == phones and set(sent_to.values()) == {1}


def test_cpm_change_while_running_repaces_the_waiting_jobs(admin_api, sms, tenant):
    campaign_id = create_campaign(admin_api, sms["program"].id, make_group(tenant, 10).id)
    admin_api.put(f"/api/campaigns/{campaign_id}/start")
    slow = list(_jobs(campaign_id))
    assert len(slow) == 2 and (slow[1].run_at - slow[0].run_at).total_seconds() == 30
    shown = admin_api.put(f"/api/campaigns/{campaign_id}", {"cpm": 60}, format="json").json()
    assert shown["cpm"] == 60 and shown["status"] == "running"
    assert {Job.objects.get(pk=job.pk).status for job in slow} == {"cancelled"}
    fast = list(_jobs(campaign_id).filter(status="scheduled"))
    assert len(fast) == 10
    assert _gaps(fast) == {1.0}
    assert Transmission.objects.filter(campaign_id=campaign_id, job__in=fast).count() == 10
    # Program, group and account are fixed once the transmissions exist.
    locked = admin_api.put(f"/api/campaigns/{campaign_id}", {"group_id": make_group(tenant, 1).id},
                           format="json")  # fmt: skip
    assert locked.status_code == 423


def test_start_refusals_say_why(admin_api, sms, tenant):
    empty = create_campaign(admin_api, sms["program"].id, make_group(tenant, 0).id)
    refused = admin_api.put(f"/api/campaigns/{empty}/start")
    assert refused.status_code == 423 and "no contacts" in refused.json()["error"]["message"]
    assert Campaign.objects.get(pk=empty).status == "new"
    running = create_campaign(admin_api, sms["program"].id, make_group(tenant, 2).id)
    admin_api.get(f"/api/campaigns/{running}/start")  # ICTCore's GET works too
    again = admin_api.put(f"/api/campaigns/{running}/start")
    assert again.status_code == 423 and "running" in again.json()["error"]["message"]
    assert admin_api.delete(f"/api/campaigns/{running}").status_code == 423
    sms["text"].delete()  # its content is gone: every message would fail
    gone = create_campaign(admin_api, sms["program"].id, make_group(tenant, 2).id)
    broken = admin_api.put(f"/api/campaigns/{gone}/start")
    assert broken.status_code == 423 and "text_id" in broken.json()["error"]["message"]
    shown = admin_api.get(f"/api/campaigns/{gone}").json()
    assert shown["status"] == "broken" and "text_id" in shown["response"]
    assert admin_api.put(f"/api/campaigns/{gone}/start").status_code == 423


def test_delete_of_a_paused_campaign_keeps_its_transmissions(admin_api, sms, tenant):
    campaign_id = create_campaign(admin_api, sms["program"].id, make_group(tenant, 3).id)
    admin_api.put(f"/api/campaigns/{campaign_id}/start")
    admin_api.put(f"/api/campaigns/{campaign_id}/stop")
    assert admin_api.delete(f"/api/campaigns/{campaign_id}").json() is True
    assert Transmission.objects.filter(campaign_id=campaign_id).count() == 3
    assert not Job.objects.filter(status__in=Job.WAITING).exists()
