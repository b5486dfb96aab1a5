"""Pages that act through the services: campaigns (start/stop, progress, update, delete),
transmissions (send now, cancel a schedule, delete), task schedulers and call tasks."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from apps.callbacks.models import CallTask, TaskScheduler
from apps.campaigns.models import Campaign
from apps.delivery.models import Job
from apps.transmissions.models import Transmission
from apps.transmissions.services import transmission_schedule

pytestmark = pytest.mark.django_db
CAMPAIGNS = "/admin/campaigns/campaign/"
TRANSMISSIONS = "/admin/transmissions/transmission/"


def _act(browser, url: str, action: str, rows) -> list[str]:
    body = {"action": action, "_selected_action": [row.pk for row in rows]}
    response = browser.post(url, body, follow=True)
    assert response.status_code == 200
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_campaign_start_and_stop_report_and_the_counters_show_progress(tenant_staff, world):
    campaign = world.campaign
    assert _act(tenant_staff, CAMPAIGNS, "campaigns_start", [campaign]) == [
        "Start: 1 campaign(s) done."
    ]
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.RUNNING
    said = _act(tenant_staff, CAMPAIGNS, "campaigns_start", [campaign])
    running = Campaign.objects.get(pk=campaign.pk)
    assert said == [f"Start: 0 campaign(s) done; 1 refused: {running}: "
                    "Campaign is already running."]  # fmt: skip
    listed = tenant_staff.get(CAMPAIGNS).context["cl"].result_list[0]
    assert listed.counters["contact_total"] == 3
    page = tenant_staff.get(f"{CAMPAIGNS}{campaign.pk}/change/").content.decode()
    assert "contact total: 3" in page and 'name="group"' not in page  # fixed once started
    assert _act(tenant_staff, CAMPAIGNS, "campaigns_stop", [campaign]) == [
        "Stop: 1 campaign(s) done."
    ]
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.PAUSED


def test_a_campaign_change_goes_through_the_update_service(tenant_staff, world):
    campaign = world.campaign
    _act(tenant_staff, CAMPAIGNS, "campaigns_start", [campaign])
    form = {"client": campaign.client_id, "cpm": 30, "try_allowed": 3, "source": "",
            "schedules-TOTAL_FORMS": 0, "schedules-INITIAL_FORMS": 0}  # fmt: skip
    response = tenant_staff.post(f"{CAMPAIGNS}{campaign.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign.refresh_from_db()
    assert (campaign.cpm, campaign.try_allowed, campaign.status) == (30, 3, "running")
    pending = Transmission.objects.filter(campaign_id=campaign.pk, status="pending")
    assert pending.exists() and set(pending.values_list("try_allowed", flat=True)) == {3}


def test_a_running_campaign_cannot_be_deleted_a_paused_one_can(tenant_staff, world):
    campaign = world.campaign
    _act(tenant_staff, CAMPAIGNS, "campaigns_start", [campaign])
    assert tenant_staff.get(f"{CAMPAIGNS}{campaign.pk}/delete/").status_code == 403
    _act(tenant_staff, CAMPAIGNS, "campaigns_stop", [campaign])
    response = tenant_staff.post(f"{CAMPAIGNS}{campaign.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Campaign.objects.filter(pk=campaign.pk).exists()
    assert not Job.objects.filter(status="scheduled", meta__campaign_id=campaign.pk).exists()


def test_transmission_send_now_and_cancel_schedule(tenant_staff, world):
    tx = world.transmission
    assert _act(tenant_staff, TRANSMISSIONS, "transmissions_send_now", [tx]) == [
        "Send now: 1 transmission(s) done."
    ]
    tx.refresh_from_db()
    assert tx.status == Transmission.Status.PROCESSING and tx.job_id
    said = _act(tenant_staff, TRANSMISSIONS, "transmissions_send_now", [tx])
    assert said == [f"Send now: 0 transmission(s) done; 1 refused: {tx}: "
                    "Transmission already in process."]  # fmt: skip
    assert tenant_staff.get(f"{TRANSMISSIONS}{tx.pk}/delete/").status_code == 403
    Transmission.objects.filter(pk=tx.pk).update(status="pending")
    job = transmission_schedule(transmission=tx, run_at=timezone.now() + timedelta(hours=1))
    assert _act(tenant_staff, TRANSMISSIONS, "transmissions_cancel_schedule", [tx]) == [
        "Cancel schedule: 1 transmission(s) done."
    ]
    assert Job.objects.get(pk=job.pk).status == Job.Status.CANCELLED


def test_a_transmission_added_here_is_made_by_the_service(tenant_staff, world):
    form = {"program": world.transmission.program_id, "contact": world.transmission.contact_id,
            "try_allowed": 2}  # fmt: skip
    response = tenant_staff.post(f"{TRANSMISSIONS}add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    made = Transmission.objects.exclude(pk=world.transmission.pk).get()
    assert (made.title, made.origin, made.try_allowed) == ("Promo", "sendsms", 2)
    assert made.created_by is not None and made.service_flag


def test_schedulers_pause_and_resume_and_show_their_task_counts(tenant_staff, world):
    scheduler = TaskScheduler.objects.get()
    listed = tenant_staff.get("/admin/callbacks/taskscheduler/").context["cl"].result_list[0]
    assert (listed.waiting, listed.executing) == (1, 0)
    url = "/admin/callbacks/taskscheduler/"
    assert _act(tenant_staff, url, "schedulers_pause", [scheduler]) == [
        "1 scheduler(s) paused: no new call starts."
    ]
    assert not TaskScheduler.objects.get().active
    _act(tenant_staff, url, "schedulers_resume", [scheduler])
    assert TaskScheduler.objects.get().active


def test_a_call_task_is_editable_and_deletable_only_before_its_first_try(tenant_staff, world):
    task = CallTask.objects.get()
    url = f"/admin/callbacks/calltask/{task.pk}/"
    assert 'name="a_number"' in tenant_staff.get(f"{url}change/").content.decode()
    CallTask.objects.filter(pk=task.pk).update(status="executed", tries_made=1)
    assert 'name="a_number"' not in tenant_staff.get(f"{url}change/").content.decode()
    assert tenant_staff.get(f"{url}delete/").status_code == 403
    CallTask.objects.filter(pk=task.pk).update(status="scheduled", tries_made=0)
    assert tenant_staff.post(f"{url}delete/", {"post": "yes"}).status_code == 302
    assert not CallTask.objects.exists()


@pytest.mark.parametrize(
    ("url", "term", "attribute"),
    [(TRANSMISSIONS, "+12025550000", "pk"), (TRANSMISSIONS, "12025550000", "pk"),
     ("/admin/contacts/contact/", "+12025550000", "phone"),
     ("/admin/contacts/contact/", "cust0", "phone"),
     ("/admin/callbacks/calltask/", "15005550001", "a_number")],
)  # fmt: skip
def test_big_lists_find_rows_by_number_with_or_without_plus(tenant_staff, world, url, term,
                                                             attribute):  # fmt: skip
    found = tenant_staff.get(url, {"q": term}).context["cl"].result_list
    assert len(found) == 1 and getattr(found[0], attribute)
    assert list(tenant_staff.get(url, {"q": "+19999999999"}).context["cl"].result_list) == []
