"""Reminders before task_time: created with the invitation, cancelled with the case, moved
when it is rescheduled (through the service or the back-office)."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from apps.cases import services
from apps.cases.models import Case, CaseMember
from apps.core.exceptions import Conflict
from apps.delivery.models import Job, OutboxMessage
from apps.delivery.services.jobs import job_run_now
from tests.cases.conftest import CUSTOMER, admin_form, case_create
from tests.cases.test_rooms import SECRET, _claims
from tests.delivery.conftest import run_engine

pytestmark = pytest.mark.django_db

EMAIL_ONLY = {"customer_name": "Wu", "customer_id_num": "E1", "customer_email": "wu@example.com"}


def _at(seconds_from_now: int) -> dt.datetime:
    """A whole second in the future (the API speaks unix seconds)."""
    return dt.datetime.fromtimestamp(int(time.time()) + seconds_from_now, dt.UTC)


def _case_with_customers(api, task_time: dt.datetime, **overrides) -> Case:
    """A notifying case at ``task_time`` with a phone customer and an email-only one."""
    unix = str(int(task_time.timestamp()))
    task_num = case_create(api, **{"task_notify": True, "task_time": unix, **overrides})
    api.post("/video/createTaskModerator", {"task_num": task_num}, format="json")
    body = {"task_num": task_num, "customer": [CUSTOMER, EMAIL_ONLY]}
    assert api.post("/video/createTaskPublisher", body, format="json").status_code == 200
    return Case.objects.get(task_num=task_num)


def _reminders(case: Case) -> list[Job]:
    return list(Job.objects.filter(meta__task_num=case.task_num, meta__kind="reminder"))


def _by_member(jobs: list[Job]) -> dict[str, Job]:
    members = {m.pk: m.id_num for m in CaseMember.objects.all()}
    return {members[job.meta["member_id"]]: job for job in jobs}


def test_each_customer_gets_a_reminder_30_minutes_before_by_sms_or_email(worker_api, sandbox):
    start = _at(3 * 3600)
    case = _case_with_customers(worker_api, start)
    reminders = _by_member(_reminders(case))
    assert set(reminders) == {CUSTOMER["customer_id_num"], "E1"}  # not the moderator
    sms, email = reminders[CUSTOMER["customer_id_num"]], reminders["E1"]
    assert sms.run_at == email.run_at == start - dt.timedelta(minutes=30)
    assert (sms.status, sms.origin, sms.channel) == ("scheduled", "cases", "sms")
    chen = CaseMember.objects.get(id_num=CUSTOMER["customer_id_num"])
    when = f"{start:%Y-%m-%d at %H:%M} UTC"
    assert sms.payload == {
        "to": "+886911211211",
        "text": f"Reminder: Dear Mr. Chen, your video appointment {case.task_num} is on "
        f"{when}. Join: https://video.example.invalid/join/{chen.join_token}",
    }
    wu = CaseMember.objects.get(id_num="E1")
    assert email.channel == "email" and email.payload["to"] == ["wu@example.com"]
    assert email.payload["subject"] == f"Reminder: Your video appointment {case.task_num}"
    assert f'href="https://video.example.invalid/join/{wu.join_token}"' in email.payload["html"]
    assert when in email.payload["html"]


def test_the_reminder_lead_time_is_a_setting(worker_api, settings):
    settings.FUSION_VIDEO_REMINDER_MINUTES = 90
    start = _at(3 * 3600)
    case = _case_with_customers(worker_api, start)
    assert {job.run_at for job in _reminders(case)} == {start - dt.timedelta(minutes=90)}


def test_a_due_reminder_is_delivered_by_the_engine(
    worker_api, sandbox, django_capture_on_commit_callbacks
):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    run_engine(django_capture_on_commit_callbacks)  # the invitations; reminders are not due
    assert OutboxMessage.objects.count() == 2
    for job in _reminders(case):
        job_run_now(job=job)
    run_engine(django_capture_on_commit_callbacks)
    sms = OutboxMessage.objects.filter(channel="sms").order_by("id").last()
    assert sms.payload["text"].startswith(
        f"Reminder: Dear Mr. Chen, your video appointment {case.task_num}"
    )
    assert {job.status for job in _reminders(case)} == {"succeeded"}


@pytest.mark.parametrize(
    "overrides",
    [
        {"task_time": 20 * 60},  # the reminder's moment (30 min before) has passed
        {"task_time": 3 * 3600, "room_type": "realtime"},
        {"task_time": 3 * 3600, "reminder_minutes": 0},  # reminders switched off
    ],
    ids=["too-soon", "realtime", "switched-off"],
)
def test_no_reminder_when_none_is_due(worker_api, settings, overrides):
    settings.FUSION_VIDEO_REMINDER_MINUTES = overrides.pop("reminder_minutes", 30)
    case = _case_with_customers(worker_api, _at(overrides.pop("task_time")), **overrides)
    assert Job.objects.filter(meta__kind="invite").count() == 2  # the invitations still go
    assert _reminders(case) == []


def test_without_task_notify_there_is_no_reminder(worker_api):
    case = _case_with_customers(worker_api, _at(3 * 3600), task_notify=False)
    assert not Job.objects.exists() and _reminders(case) == []


@pytest.mark.parametrize("status", ["canceled", "finished"])
def test_ending_a_case_cancels_its_pending_reminders(worker_api, status):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    body = {"task_num": case.task_num, "task_status": status}
    assert worker_api.post("/video/updateTaskStatus", body, format="json").status_code == 200
    reminders = _reminders(case)
    assert len(reminders) == 2 and {job.status for job in reminders} == {"cancelled"}


def test_rescheduling_moves_pending_reminders_with_a_text_for_the_new_time(worker_api):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    before = {job.pk: job for job in _reminders(case)}
    later = _at(26 * 3600)
    assert services.case_reschedule(case=case, task_time=later) is True
    moved = _reminders(case)
    assert {job.pk for job in moved} == set(before)  # the same jobs, moved
    assert {job.run_at for job in moved} == {later - dt.timedelta(minutes=30)}
    assert {job.status for job in moved} == {"scheduled"}
    sms = next(job for job in moved if job.channel == "sms")
    assert f"{later:%Y-%m-%d at %H:%M} UTC" in sms.payload["text"]
    assert sms.events.filter(kind="rescheduled").exists()
    assert Case.objects.get(pk=case.pk).task_time == later
    assert services.case_reschedule(case=case, task_time=later) is False


def test_rescheduling_creates_reminders_that_were_not_due_before(worker_api):
    case = _case_with_customers(worker_api, _at(20 * 60))
    assert _reminders(case) == []
    later = _at(5 * 3600)
    services.case_reschedule(case=case, task_time=later)
    reminders = _reminders(case)
    assert len(reminders) == 2
    assert {job.run_at for job in reminders} == {later - dt.timedelta(minutes=30)}


def test_rescheduling_too_close_cancels_pending_reminders(worker_api):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    services.case_reschedule(case=case, task_time=_at(10 * 60))
    assert {job.status for job in _reminders(case)} == {"cancelled"}


def test_a_reminder_already_sent_is_followed_by_one_for_the_new_time(
    worker_api, sandbox, django_capture_on_commit_callbacks
):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    for job in _reminders(case):
        job_run_now(job=job)
    run_engine(django_capture_on_commit_callbacks)
    later = _at(6 * 3600)
    services.case_reschedule(case=case, task_time=later)
    statuses = sorted((job.status, job.run_at) for job in _reminders(case))
    due = later - dt.timedelta(minutes=30)
    assert [status for status, _ in statuses] == ["scheduled"] * 2 + ["succeeded"] * 2
    assert [run_at for status, run_at in statuses if status == "scheduled"] == [due, due]


def test_an_ended_case_cannot_be_rescheduled(worker_api):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    services.case_status_update(case=case, status="finished")
    with pytest.raises(Conflict):
        services.case_reschedule(case=case, task_time=_at(5 * 3600))
    assert {job.status for job in _reminders(case)} == {"cancelled"}


def test_a_moved_reminder_carries_a_jitsi_link_signed_for_the_new_time(worker_api, settings):
    settings.FUSION_VIDEO_ROOM_PROVIDER = "jitsi"
    settings.FUSION_JITSI_DOMAIN = "meet.example.com"
    settings.FUSION_JITSI_APP_ID = "fusion-app"
    settings.FUSION_JITSI_APP_SECRET = SECRET
    settings.FUSION_JITSI_MINUTES_BEFORE = 15
    case = _case_with_customers(worker_api, _at(3 * 3600))
    later = _at(30 * 3600)
    services.case_reschedule(case=case, task_time=later)
    sms = next(job for job in _reminders(case) if job.channel == "sms")
    url = sms.payload["text"].split("Join: ")[1]
    assert _claims(url)["nbf"] == int(later.timestamp()) - 15 * 60


def test_editing_task_time_in_the_admin_moves_the_reminders(worker_api, staff_browser):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    later = _at(48 * 3600)
    url = f"/admin/cases/case/{case.pk}/change/"
    response = staff_browser.post(url, admin_form(case, task_time=later))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Case.objects.get(pk=case.pk).task_time == later
    reminders = _reminders(case)
    assert {job.run_at for job in reminders} == {later - dt.timedelta(minutes=30)}
    assert {job.status for job in reminders} == {"scheduled"} and len(reminders) == 2


def test_canceling_in_the_admin_cancels_reminders_and_tells_customers(worker_api, staff_browser):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    url = f"/admin/cases/case/{case.pk}/change/"
    response = staff_browser.post(url, admin_form(case, status="canceled"))
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.status == "canceled" and case.status_changed_at <= timezone.now()
    assert {job.status for job in _reminders(case)} == {"cancelled"}
    assert Job.objects.filter(meta__kind="cancellation").count() == 2
