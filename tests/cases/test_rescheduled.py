"""Rescheduled notices: a case moved to another time tells its customers and moderators the
new time through the engine, only when the time really changes and the case is open."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.cases import services
from apps.cases.models import Case, CaseMember
from apps.core.exceptions import Conflict
from apps.delivery.models import Job, OutboxMessage
from tests.cases.conftest import CUSTOMER, admin_form, case_create
from tests.cases.test_reminders import EMAIL_ONLY, _at, _case_with_customers, _reminders
from tests.delivery.conftest import run_engine

pytestmark = pytest.mark.django_db

NEW_TIME = dt.datetime(2031, 3, 4, 9, 30, 15, tzinfo=dt.UTC)
NEW_TIME_TEXT = "2031-03-04 at 09:30 UTC"


def _notices(case: Case) -> list[Job]:
    jobs = Job.objects.filter(meta__task_num=case.task_num, meta__kind="rescheduled")
    return list(jobs.order_by("id"))


def _of(member: CaseMember, jobs: list[Job]) -> Job:
    (job,) = [job for job in jobs if job.meta["member_id"] == member.pk]
    return job


def _link(member: CaseMember) -> str:
    return f"https://video.example.invalid/join/{member.join_token}"


def test_customers_and_moderators_are_told_the_new_time(worker_api, worker):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    assert services.case_reschedule(case=case, task_time=NEW_TIME) is True
    notices = _notices(case)
    chen = CaseMember.objects.get(id_num=CUSTOMER["customer_id_num"])
    wu = CaseMember.objects.get(id_num="E1")
    moderator = CaseMember.objects.get(role="moderator", user=worker)
    assert len(notices) == 3
    sms = _of(chen, notices)
    assert (sms.channel, sms.origin, sms.status) == ("sms", "cases", "scheduled")
    assert sms.run_at <= timezone.now() and sms.idempotency_key is None  # sent at once
    assert sms.meta == {"task_num": case.task_num, "member_id": chen.pk, "kind": "rescheduled"}
    assert sms.log_tag == f"case:{case.task_num}"
    assert sms.payload == {
        "to": "+886911211211",
        "text": f"Dear Mr. Chen, your video appointment {case.task_num} has been moved to "
        f"{NEW_TIME_TEXT}. Join: {_link(chen)}",
    }
    for member, to, greeting in ((wu, "wu@example.com", "Dear Wu"),
                                 (moderator, worker.email, "Dear Ana Agent")):  # fmt: skip
        email = _of(member, notices)
        assert email.channel == "email" and email.payload["to"] == [to]
        assert email.payload["subject"] == f"Video appointment {case.task_num} rescheduled"
        assert f"{greeting}, your video appointment {case.task_num} has been moved to " \
               f"{NEW_TIME_TEXT}." in email.payload["html"]  # fmt: skip
        assert f'href="{_link(member)}"' in email.payload["html"]


def test_the_engine_delivers_the_notices(worker_api, sandbox, django_capture_on_commit_callbacks):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    run_engine(django_capture_on_commit_callbacks)  # the invitations
    invitations = set(OutboxMessage.objects.values_list("id", flat=True))
    services.case_reschedule(case=case, task_time=NEW_TIME)
    run_engine(django_capture_on_commit_callbacks)
    sent = OutboxMessage.objects.exclude(id__in=invitations)
    assert sorted((m.channel, m.recipient) for m in sent) == [
        ("email", case.created_by.email), ("email", "wu@example.com"), ("sms", "+886911211211"),
    ]  # fmt: skip
    assert all(NEW_TIME_TEXT in (m.payload.get("text") or m.payload["html"]) for m in sent)
    assert {job.status for job in _notices(case)} == {"succeeded"}


def test_the_new_time_is_written_in_utc_whatever_zone_it_was_given_in(worker_api):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    taipei = NEW_TIME.astimezone(ZoneInfo("Asia/Taipei"))  # 17:30 there
    with timezone.override("Asia/Taipei"):
        services.case_reschedule(case=case, task_time=taipei)
    texts = [job.payload.get("text") or job.payload["html"] for job in _notices(case)]
    assert len(texts) == 3 and all(NEW_TIME_TEXT in text for text in texts)
    assert not any("17:30" in text for text in texts)


def test_the_same_time_again_changes_nothing_and_tells_nobody(worker_api):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    same = Case.objects.get(pk=case.pk).task_time
    assert services.case_reschedule(case=case, task_time=same) is False
    # The API speaks whole seconds: a fraction of one is no change either.
    assert services.case_reschedule(case=case, task_time=same.replace(microsecond=5)) is False
    assert _notices(case) == []
    assert not any(job.events.filter(kind="rescheduled").exists() for job in _reminders(case))


def test_a_move_within_the_minute_moves_reminders_without_a_notice(worker_api):
    case = _case_with_customers(worker_api, _at(3 * 3600).replace(second=0))
    later = case.task_time + dt.timedelta(seconds=40)  # notices write the time to the minute
    assert services.case_reschedule(case=case, task_time=later) is True
    assert {job.run_at for job in _reminders(case)} == {later - dt.timedelta(minutes=30)}
    assert _notices(case) == []


@pytest.mark.parametrize("status", ["finished", "canceled"])
def test_an_ended_case_is_not_rescheduled_and_nobody_is_told(worker_api, status):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    services.case_status_update(case=case, status=status)
    with pytest.raises(Conflict):
        services.case_reschedule(case=case, task_time=NEW_TIME)
    assert _notices(case) == [] and Case.objects.get(pk=case.pk).task_time != NEW_TIME


def test_without_task_notify_nobody_is_told(worker_api):
    case = _case_with_customers(worker_api, _at(3 * 3600), task_notify=False)
    assert services.case_reschedule(case=case, task_time=NEW_TIME) is True
    assert not Job.objects.exists()


def test_a_realtime_room_is_told_the_time_it_now_has(worker_api):
    case = _case_with_customers(worker_api, _at(60), room_type="realtime")
    services.case_reschedule(case=case, task_time=NEW_TIME)
    sms = next(job for job in _notices(case) if job.channel == "sms")
    assert f"has been moved to {NEW_TIME_TEXT}." in sms.payload["text"]


def test_a_member_without_phone_or_email_is_skipped(worker_api, tenant):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    mute = CaseMember.objects.create(case=case, role="publisher", name="Mute", id_num="M1")
    services.case_reschedule(case=case, task_time=NEW_TIME)
    notices = _notices(case)
    assert len(notices) == 3 and mute.pk not in {job.meta["member_id"] for job in notices}


def test_a_second_move_withdraws_the_unsent_notice_of_the_first(worker_api):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    services.case_reschedule(case=case, task_time=NEW_TIME)
    first = _notices(case)
    services.case_reschedule(case=case, task_time=NEW_TIME + dt.timedelta(days=1))
    assert {Job.objects.get(pk=job.pk).status for job in first} == {"cancelled"}
    current = [job for job in _notices(case) if job.status == "scheduled"]
    assert len(current) == 3
    assert all("2031-03-05 at 09:30 UTC" in (job.payload.get("text") or job.payload["html"])
               for job in current)  # fmt: skip


def test_an_invitation_still_waiting_is_rewritten_for_the_new_time(worker_api):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    invitations = {job.pk for job in Job.objects.filter(meta__kind="invite")}
    services.case_reschedule(case=case, task_time=NEW_TIME)
    rewritten = Job.objects.filter(pk__in=invitations)
    sms = rewritten.get(channel="sms")
    assert {job.status for job in rewritten} == {"scheduled"} and rewritten.count() == 2
    assert sms.payload["text"].startswith(
        f"Dear Mr. Chen, your video appointment {case.task_num} is on {NEW_TIME_TEXT}. Join:"
    )
    assert NEW_TIME_TEXT in rewritten.get(channel="email").payload["html"]
    assert len(_notices(case)) == 3  # the notices go as well: the order is not guaranteed


def test_canceling_withdraws_unsent_rescheduled_notices(worker_api):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    services.case_reschedule(case=case, task_time=NEW_TIME)
    body = {"task_num": case.task_num, "task_status": "canceled"}
    assert worker_api.post("/video/updateTaskStatus", body, format="json").status_code == 200
    assert {job.status for job in _notices(case)} == {"cancelled"}
    assert Job.objects.filter(meta__kind="cancellation").count() == 2


def test_editing_task_time_in_the_admin_tells_the_members(worker_api, staff_browser):
    case = _case_with_customers(worker_api, _at(3 * 3600))
    url = f"/admin/cases/case/{case.pk}/change/"
    response = staff_browser.post(url, admin_form(case, task_remark="call first"))
    assert response.status_code == 302 and _notices(case) == []  # time unchanged
    response = staff_browser.post(url, admin_form(case, task_time=NEW_TIME))
    assert response.status_code == 302, response.content.decode()[:3000]
    notices = _notices(case)
    assert len(notices) == 3 and {job.status for job in notices} == {"scheduled"}
    assert (
        f"moved to {NEW_TIME_TEXT}" in _of(case.members.get(id_num="E1"), notices).payload["html"]
    )


def test_saving_a_realtime_case_made_now_in_the_admin_tells_nobody(worker_api, staff_browser):
    task_num = case_create(worker_api, task_notify=True, room_type="realtime", task_time=None)
    body = {"task_num": task_num, "customer": [CUSTOMER, EMAIL_ONLY]}
    worker_api.post("/video/createTaskPublisher", body, format="json")
    case = Case.objects.get(task_num=task_num)
    assert case.task_time.microsecond == 0  # stored to the second, as the API answers it
    response = staff_browser.post(f"/admin/cases/case/{case.pk}/change/", admin_form(case))
    assert response.status_code == 302 and _notices(case) == []
