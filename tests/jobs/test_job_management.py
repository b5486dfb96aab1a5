"""jobInfo, cancelJob, rescheduleJob and retryTask: rules, answers and tenant isolation."""

import uuid
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from apps.delivery.models import Job
from apps.delivery.services.dispatch import dispatch_once
from apps.delivery.services.execute import jobs_lease_take
from apps.delivery.services.jobs import JobSpec, jobs_create
from tests.conftest import api_client_for
from tests.factories import UserFactory
from tests.jobs.conftest import NUMBER, sms_task

pytestmark = pytest.mark.django_db

LATER = "2099-01-15T10:30:00"


def enqueue(api, *tasks) -> list[str]:
    response = api.post("/queue/", list(tasks) or [sms_task()], format="json")
    assert response.status_code == 200, response.json()
    return response.json()["job_ids"]


def schedule_later(api) -> str:
    body = [{**sms_task(), "sch_time": LATER}]
    return api.post("/schedule/", body, format="json").json()["job_ids"][0]


def job_of(job_id: str) -> Job:
    return Job.objects.get(uuid=job_id)


def make_running(job_id: str, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_once()
    assert jobs_lease_take(job_ids=[job_of(job_id).id], token=uuid.uuid4())


@pytest.fixture
def other_api(other_tenant):
    return api_client_for(UserFactory(client=other_tenant, roles=["user"]))


@pytest.fixture
def failed_job(user_api, run_engine) -> str:
    """A job that failed for good: the tenant has no SMS provider."""
    job_id = enqueue(user_api)[0]
    run_engine()
    assert job_of(job_id).status == "failed"
    return job_id


# --- jobInfo ----------------------------------------------------------------------------


def test_job_info_shows_the_job_its_attempts_and_outcome(user_api, run_engine, sandbox_for):
    sandbox_for("sms", name="sandbox-sms")
    job_id = enqueue(user_api, sms_task(retry=2))[0]
    run_engine()
    response = user_api.post("/jobInfo/", {"id": job_id}, format="json")
    assert response.status_code == 200
    body = response.json()
    job = body["job"]
    assert body["code"] == 200 and job["id"] == job_id
    assert set(job) == {
        "id", "status", "channel", "task", "task_type", "priority", "run_at", "attempts_made",
        "attempts_allowed", "attempts", "result", "error", "reason", "log_tag", "window_hits",
        "created_at", "queued_at", "started_at", "finished_at",
    }  # fmt: skip
    assert job["status"] == "succeeded" and job["channel"] == "sms"
    assert (job["task"], job["task_type"], job["priority"]) == (1, 1, 2)
    assert job["attempts_made"] == 1 and job["attempts_allowed"] == 3
    assert job["log_tag"] == "SMS_OTP" and job["error"] == "" and job["window_hits"] == 0
    assert job["result"]["provider_message_id"].startswith("sandbox-")
    [attempt] = job["attempts"]
    assert attempt["number"] == 1 and attempt["provider"] == "sandbox-sms"
    assert attempt["outcome"] == "succeeded" and attempt["provider_message_id"]
    assert set(attempt) == {
        "number", "provider", "outcome", "started_at", "ended_at", "provider_message_id",
        "error", "reason",
    }  # fmt: skip


def test_job_info_times_use_the_spec_format_in_utc(user_api):
    job_id = schedule_later(user_api)
    job = user_api.post("/jobInfo", {"id": job_id}, format="json").json()["job"]
    assert job["run_at"] == LATER and job["status"] == "scheduled"
    assert job["queued_at"] is None and job["attempts"] == []
    assert datetime.strptime(job["created_at"], "%Y-%m-%dT%H:%M:%S")


def test_job_info_of_a_failed_job_shows_error_and_reason(user_api, failed_job):
    job = user_api.post("/jobInfo/", {"id": failed_job}, format="json").json()["job"]
    assert job["status"] == "failed" and job["reason"] == "no_provider" and job["error"]
    assert job["attempts"][0]["outcome"] == "failed"


@pytest.mark.parametrize("job_id", [str(uuid.uuid4()), "not-a-uuid", "", "1"])
def test_job_info_of_a_missing_or_malformed_id_is_not_found(user_api, job_id):
    response = user_api.post("/jobInfo/", {"id": job_id}, format="json")
    if job_id == "":
        assert response.status_code == 400 and "id" in response.json()["errors"]
        return
    assert response.status_code == 404
    assert response.json() == {"code": 401, "message": "Job not found"}


def test_job_info_of_another_clients_job_is_not_found(user_api, other_api):
    theirs = enqueue(other_api)[0]
    response = user_api.post("/jobInfo/", {"id": theirs}, format="json")
    assert response.status_code == 404 and response.json() == {
        "code": 401,
        "message": "Job not found",
    }


def test_job_info_does_not_show_jobs_of_other_faces(user_api, tenant):
    [job] = jobs_create(
        client_id=tenant.id, specs=[JobSpec(channel="sms", payload={}, origin="campaign")]
    )
    response = user_api.post("/jobInfo/", {"id": str(job.uuid)}, format="json")
    assert response.status_code == 404


def test_job_info_needs_a_token(anon_api):
    assert anon_api.post("/jobInfo/", {"id": str(uuid.uuid4())}, format="json").status_code == 401


# --- cancelJob --------------------------------------------------------------------------


def test_cancel_of_waiting_jobs_answers_200(user_api):
    ids = [schedule_later(user_api), enqueue(user_api)[0]]
    response = user_api.post("/cancelJob/", {"job_id": ids}, format="json")
    assert response.status_code == 200 and response.json() == {"code": 200}
    assert {job_of(i).status for i in ids} == {"cancelled"}


def test_cancel_accepts_one_id_as_a_string(user_api):
    job_id = schedule_later(user_api)
    response = user_api.post("/cancelJob", {"job_id": job_id}, format="json")
    assert response.json() == {"code": 200} and job_of(job_id).status == "cancelled"


def test_cancel_of_a_queued_job_is_accepted(user_api, django_capture_on_commit_callbacks):
    job_id = enqueue(user_api)[0]
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_once()
    assert job_of(job_id).status == "queued"
    assert user_api.post("/cancelJob/", {"job_id": [job_id]}, format="json").json() == {"code": 200}


def test_cancel_of_a_running_job_is_refused(user_api, django_capture_on_commit_callbacks):
    job_id = enqueue(user_api)[0]
    make_running(job_id, django_capture_on_commit_callbacks)
    response = user_api.post("/cancelJob/", {"job_id": [job_id]}, format="json")
    assert response.status_code == 200
    assert response.json() == {"code": 401, "job_ids": [job_id]}
    assert job_of(job_id).status == "running"


def test_cancel_lists_finished_missing_and_foreign_ids_and_cancels_the_rest(
    user_api, other_api, failed_job
):
    waiting, missing, theirs = schedule_later(user_api), str(uuid.uuid4()), enqueue(other_api)[0]
    body = {"job_id": [waiting, failed_job, missing, theirs, "garbage"]}
    response = user_api.post("/cancelJob/", body, format="json")
    assert response.json() == {"code": 401, "job_ids": [failed_job, missing, theirs, "garbage"]}
    assert job_of(waiting).status == "cancelled"
    assert job_of(theirs).status == "scheduled" and job_of(failed_job).status == "failed"


def test_cancel_of_jobs_none_of_which_is_yours_answers_404(user_api, other_api):
    missing, theirs = str(uuid.uuid4()), enqueue(other_api)[0]
    response = user_api.post("/cancelJob/", {"job_id": [missing, theirs]}, format="json")
    assert response.status_code == 404
    assert response.json() == {"code": 401, "job_ids": [missing, theirs]}
    assert job_of(theirs).status == "scheduled"


@pytest.mark.parametrize("body", [{}, {"job_id": []}, {"job_id": 5}])
def test_cancel_without_ids_is_refused(user_api, body):
    response = user_api.post("/cancelJob/", body, format="json")
    assert response.status_code == 400 and "job_id" in response.json()["errors"]


def test_cancel_needs_the_change_job_permission(tenant):
    response = api_client_for(UserFactory(client=tenant)).post(
        "/cancelJob/", {"job_id": [str(uuid.uuid4())]}, format="json"
    )
    assert response.status_code == 403


# --- rescheduleJob ----------------------------------------------------------------------


def test_reschedule_moves_a_waiting_job(user_api):
    job_id = schedule_later(user_api)
    body = {"job_id": job_id, "resc_at": "2098-01-16T14:00:00+05:30"}
    response = user_api.post("/rescheduleJob/", body, format="json")
    assert response.status_code == 200 and response.json() == {"code": 200}
    assert job_of(job_id).run_at.isoformat() == "2098-01-16T08:30:00+00:00"


def test_reschedule_to_a_past_time_makes_the_job_due_now(user_api):
    job_id = schedule_later(user_api)
    user_api.post(
        "/rescheduleJob", {"job_id": job_id, "resc_at": "2001-01-01T00:00:00"}, format="json"
    )
    run_at = job_of(job_id).run_at
    assert timezone.now() - timedelta(seconds=5) < run_at <= timezone.now()


def test_reschedule_of_a_queued_job_answers_401_and_leaves_it_to_its_worker(
    user_api, django_capture_on_commit_callbacks
):
    job_id = enqueue(user_api)[0]
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_once()
    response = user_api.post("/rescheduleJob/", {"job_id": job_id, "resc_at": LATER}, format="json")
    assert response.status_code == 200 and response.json()["code"] == 401
    job = job_of(job_id)
    assert job.status == "queued" and job.run_at.year != 2099


def test_reschedule_of_an_executed_job_answers_401(user_api, failed_job):
    body = {"job_id": failed_job, "resc_at": LATER}
    response = user_api.post("/rescheduleJob/", body, format="json")
    assert response.status_code == 200 and response.json()["code"] == 401
    assert job_of(failed_job).status == "failed"


def test_reschedule_of_a_running_job_answers_401(user_api, django_capture_on_commit_callbacks):
    job_id = enqueue(user_api)[0]
    make_running(job_id, django_capture_on_commit_callbacks)
    response = user_api.post("/rescheduleJob/", {"job_id": job_id, "resc_at": LATER}, format="json")
    assert response.json()["code"] == 401


def test_reschedule_of_a_missing_or_foreign_job_is_not_found(user_api, other_api):
    theirs = schedule_later(other_api)
    for job_id in (theirs, str(uuid.uuid4()), "garbage"):
        body = {"job_id": job_id, "resc_at": "2098-01-01T00:00:00"}
        response = user_api.post("/rescheduleJob/", body, format="json")
        assert response.status_code == 404 and response.json()["code"] == 401
    assert job_of(theirs).run_at.year == 2099


def test_reschedule_with_a_bad_time_names_resc_at(user_api):
    job_id = schedule_later(user_api)
    response = user_api.post(
        "/rescheduleJob/", {"job_id": job_id, "resc_at": "soon"}, format="json"
    )
    assert response.status_code == 400 and "resc_at" in response.json()["errors"]


# --- retryTask --------------------------------------------------------------------------


def test_retry_runs_a_failed_job_again_two_minutes_later(user_api, failed_job):
    before = timezone.now()
    response = user_api.post("/retryTask/", [{"job_id": failed_job}], format="json")
    assert response.json() == {"code": 200, "job_ids": [failed_job], "not_retried": []}
    job = job_of(failed_job)
    assert job.status == "retrying" and job.attempts_allowed == job.attempts_made + 1
    assert before + timedelta(minutes=2) <= job.run_at <= timezone.now() + timedelta(minutes=2)


def test_retry_lists_jobs_that_could_not_be_retried(user_api, other_api, failed_job):
    waiting, missing = schedule_later(user_api), str(uuid.uuid4())
    theirs = enqueue(other_api)[0]
    body = [{"job_id": i} for i in (failed_job, waiting, missing, theirs)]
    response = user_api.post("/retryTask", body, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "code": 401,
        "job_ids": [failed_job],
        "not_retried": [waiting, missing, theirs],
    }
    assert job_of(waiting).status == "scheduled"


def test_retry_of_jobs_none_of_which_is_yours_answers_404(user_api, other_api):
    missing, theirs = str(uuid.uuid4()), enqueue(other_api)[0]
    response = user_api.post(
        "/retryTask/", [{"job_id": missing}, {"job_id": theirs}], format="json"
    )
    assert response.status_code == 404
    assert response.json() == {"code": 401, "job_ids": [], "not_retried": [missing, theirs]}


def test_retry_needs_the_change_job_permission(tenant, failed_job):
    from django.contrib.auth.models import Permission

    user = UserFactory(client=tenant)
    user.user_permissions.add(Permission.objects.get(codename="add_job"))
    response = api_client_for(user).post("/retryTask/", [{"job_id": failed_job}], format="json")
    assert response.status_code == 403 and job_of(failed_job).status == "failed"


def test_retry_validates_each_item(user_api):
    response = user_api.post("/retryTask/", [{"job_id": str(uuid.uuid4())}, {}], format="json")
    assert response.status_code == 400 and "1.job_id" in response.json()["errors"]


def test_a_retried_job_runs_again_after_its_delay(user_api, failed_job, sandbox_for, run_engine):
    from apps.delivery.services.jobs import job_reschedule

    user_api.post("/retryTask/", {"job_id": failed_job}, format="json")
    sandbox_for("sms")
    assert run_engine() == []  # not before its two minutes
    job_reschedule(job=job_of(failed_job), run_at=timezone.now())  # as if they had passed
    run_engine()
    job = job_of(failed_job)
    assert job.status == "succeeded" and job.attempts_made == 2
    assert job.payload["to"] == NUMBER
