"""POST /schedule/: time formats, past times, and window consolidation."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from apps.delivery.models import Job
from tests.jobs.conftest import NUMBER, email_task, scheduled, sms_task

pytestmark = pytest.mark.django_db


def schedule(api, *tasks, **headers):
    return api.post("/schedule/", list(tasks), format="json", **headers)


def in_hours(hours: float) -> datetime:
    return (timezone.now() + timedelta(hours=hours)).replace(microsecond=0)


def spec_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def test_sch_time_without_offset_is_utc(user_api):
    when = in_hours(2)
    response = schedule(user_api, scheduled(sms_task(task_type=2), spec_time(when)))
    assert response.status_code == 200
    job = Job.objects.get(uuid=response.json()["job_ids"][0])
    assert job.run_at == when and job.status == "scheduled" and job.priority == 0


@pytest.mark.parametrize("suffix", ["Z", "+00:00"])
def test_sch_time_with_utc_suffix(user_api, suffix):
    when = in_hours(1)
    schedule(user_api, scheduled(sms_task(), spec_time(when) + suffix))
    assert Job.objects.get().run_at == when


def test_sch_time_offset_is_converted_to_utc(user_api):
    when = in_hours(3)
    local = when.astimezone(timezone.get_fixed_timezone(330)).strftime("%Y-%m-%dT%H:%M:%S+05:30")
    schedule(user_api, scheduled(sms_task(), local))
    assert Job.objects.get().run_at == when


def test_a_past_sch_time_runs_at_once(user_api):
    before = timezone.now()
    schedule(user_api, scheduled(sms_task(), "2020-01-15T10:30:00"))
    job = Job.objects.get()
    assert before <= job.run_at <= timezone.now()


@pytest.mark.parametrize("value", ["15/01/2030 10:30", "tomorrow", "2030-13-01T00:00:00", None])
def test_a_bad_sch_time_is_refused(user_api, value):
    response = schedule(user_api, scheduled(sms_task(), value))
    assert response.status_code == 400 and "0.sch_time" in response.json()["errors"]
    assert Job.objects.count() == 0


def test_sch_time_is_required(user_api):
    response = schedule(user_api, sms_task())
    assert response.status_code == 400 and "0.sch_time" in response.json()["errors"]


def test_schedule_validates_channel_data_like_queue(user_api):
    bad = sms_task(data={"contact": "12", "countryCode": 91, "message": "x"})
    response = schedule(
        user_api,
        scheduled(sms_task(), spec_time(in_hours(1))),
        scheduled(bad, spec_time(in_hours(1))),
    )
    assert list(response.json()["errors"]) == ["1.data.contact"]
    assert Job.objects.count() == 0


@pytest.mark.parametrize("path", ["/schedule", "/schedule/"])
def test_schedule_answers_with_and_without_trailing_slash(user_api, path):
    body = [scheduled(sms_task(), spec_time(in_hours(1)))]
    assert user_api.post(path, body, format="json").status_code == 200


def test_schedule_needs_a_token(anon_api):
    response = anon_api.post(
        "/schedule/", [scheduled(sms_task(), "2030-01-01T00:00:00")], format="json"
    )
    assert response.status_code == 401


# --- Window consolidation ---------------------------------------------------------------


def window_task(hours: float | datetime, message: str, **extra) -> dict:
    when = hours if isinstance(hours, datetime) else in_hours(hours)
    data = {"contact": 9876543210, "countryCode": 91, "message": message}
    task = scheduled(sms_task(task_type=4, data=data), spec_time(when))
    return task | {"window_delay": "report-42"} | extra


def test_requests_in_an_open_window_join_its_job(user_api):
    when = in_hours(1)
    first = schedule(user_api, window_task(when, "first")).json()["job_ids"]
    second = schedule(user_api, window_task(2, "second")).json()["job_ids"]
    third = schedule(user_api, window_task(3, "third")).json()["job_ids"]
    assert first == second == third
    job = Job.objects.get()
    assert job.window_hits == 2
    assert job.payload["text"] == "first" and job.run_at == when
    consolidated = job.events.filter(kind="consolidated")
    assert [e.data["payload"]["text"] for e in consolidated] == ["second", "third"]


def test_override_window_moves_the_waiting_job_to_the_new_time_and_data(user_api):
    later = in_hours(5)
    first = schedule(user_api, window_task(1, "first")).json()["job_ids"]
    again = schedule(user_api, window_task(later, "newer", override_window=1)).json()["job_ids"]
    assert first == again
    job = Job.objects.get()
    assert job.payload["text"] == "newer" and job.payload["to"] == NUMBER
    assert job.run_at == later and job.window_hits == 1
    assert job.events.filter(kind="overridden").count() == 1


def test_a_dispatched_window_job_closes_the_window(user_api, run_engine, sandbox_for):
    sandbox_for("sms")
    first = schedule(user_api, window_task(-1, "first")).json()["job_ids"]  # due now
    run_engine()
    assert Job.objects.get(uuid=first[0]).status == "succeeded"
    second = schedule(user_api, window_task(1, "second")).json()["job_ids"]
    assert second != first
    assert Job.objects.get(uuid=second[0]).payload["text"] == "second"
    assert schedule(user_api, window_task(2, "third")).json()["job_ids"] == second


def test_a_queued_window_job_no_longer_takes_requests(user_api, django_capture_on_commit_callbacks):
    from apps.delivery.services.dispatch import dispatch_once

    first = schedule(user_api, window_task(-1, "first")).json()["job_ids"]
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_once()
    assert Job.objects.get(uuid=first[0]).status == "queued"
    assert schedule(user_api, window_task(1, "second")).json()["job_ids"] != first


def test_windows_are_per_task_type_and_per_client(user_api, admin_api, other_tenant):
    from tests.conftest import api_client_for
    from tests.factories import UserFactory

    sms = schedule(user_api, window_task(1, "sms")).json()["job_ids"]
    mail = scheduled(email_task(), spec_time(in_hours(1)), window_delay="report-42")
    assert schedule(user_api, mail).json()["job_ids"] != sms
    other = api_client_for(UserFactory(client=other_tenant, roles=["user"]))
    assert schedule(other, window_task(1, "theirs")).json()["job_ids"] != sms
    assert schedule(admin_api, window_task(1, "same client")).json()["job_ids"] == sms
    assert Job.objects.count() == 3


def test_tasks_of_one_batch_share_a_window(user_api):
    ids = schedule(user_api, window_task(1, "a"), window_task(2, "b")).json()["job_ids"]
    assert ids[0] == ids[1] and Job.objects.get().window_hits == 1


def test_without_window_delay_every_request_is_its_own_job(user_api):
    task = window_task(1, "x", window_delay="")
    schedule(user_api, task)
    schedule(user_api, task)
    assert Job.objects.count() == 2


def test_a_cancelled_window_job_closes_the_window(user_api):
    first = schedule(user_api, window_task(1, "first")).json()["job_ids"]
    user_api.post("/cancelJob/", {"job_id": first}, format="json")
    second = schedule(user_api, window_task(1, "second")).json()["job_ids"]
    assert second != first and Job.objects.get(uuid=second[0]).status == "scheduled"


def test_window_replay_with_an_idempotency_key_adds_no_hit(user_api):
    task = window_task(1, "first")
    first = schedule(user_api, task, HTTP_IDEMPOTENCY_KEY="w").json()["job_ids"]
    assert schedule(user_api, task, HTTP_IDEMPOTENCY_KEY="w").json()["job_ids"] == first
    assert Job.objects.get().window_hits == 0
