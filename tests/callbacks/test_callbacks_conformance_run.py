"""The Callbacks face's running side against its contract: signed events, tries that end
even when the engine's end signal is lost, deletes racing the pump, scheduler deletes."""

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.callbacks.models import CallRecord, CallTask, TaskScheduler
from apps.callbacks.services import callbacks_pump
from apps.callbacks.services.pump import call_task_start
from apps.delivery.models import Job
from apps.delivery.services.dispatch import dispatch_once
from apps.delivery.services.execute import job_execute
from tests.callbacks.conftest import drive, make_scheduler, post_tasks, tasks_url

pytestmark = pytest.mark.django_db
Status = CallTask.Status
TASK = {"a_number": "+15005550001", "b_number": "+15005550002"}
EVENT_OF_PATH = {"/before": "url_before", "/again": "url_before_again", "/after": "url_after"}


def _signed_by(secret: str, headers, body: bytes) -> bool:
    """A receiver's check, written from the Standard Webhooks spec (not from our code)."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(sig.split(",", 1)[1] == expected for sig in headers["webhook-signature"].split())


def test_every_event_is_signed_with_the_clients_secret_and_noted_on_its_call(
    admin_api, tenant, simulator, httpserver, allow_local_http, django_capture_on_commit_callbacks
):
    scheduler = make_scheduler(tenant)
    for path in ("/before", "/again", "/success", "/after"):
        httpserver.expect_request(path, method="POST").respond_with_data("ok")
    urls = {
        f"url_{name}": httpserver.url_for(f"/{name}") for name in ("before", "success", "after")
    }
    urls["url_before_again"] = httpserver.url_for("/again")
    busy_b = {"a_number": "+15005550001", "b_number": "+15005550000", "try_count": 2, **urls}
    post_tasks(admin_api, tenant, scheduler, [busy_b], django_capture_on_commit_callbacks)
    drive(django_capture_on_commit_callbacks, scheduler)
    received = sorted((request.path, request) for request, _ in httpserver.log)
    assert [path for path, _ in received] == ["/after", "/again", "/before"]  # no success
    for path, request in received:
        assert _signed_by(tenant.webhook_secret, request.headers, request.get_data()), path
        assert json.loads(request.get_data())["event"] == EVENT_OF_PATH[path]
    voice = Job.objects.filter(channel="voice").order_by("id")
    hooks = Job.objects.filter(channel="webhook")
    assert {(h.parent_id, h.meta["event"]) for h in hooks} == {
        (voice[0].id, "url_before"), (voice[1].id, "url_before_again"), (voice[1].id, "url_after"),
    }  # fmt: skip
    assert voice[1].events.filter(kind="hook_succeeded").count() == 2


def _run_voice_jobs_losing_the_end_signal(capture) -> None:
    """Run the due voice jobs without the after-commit callbacks, as when the worker dies
    between committing the job's end and sending ``job_finished``."""
    with capture(execute=False):
        dispatch_once()
        for job_id in Job.objects.filter(status=Job.Status.QUEUED).values_list("id", flat=True):
            job_execute(job_id=job_id)


def test_a_call_whose_end_signal_was_lost_is_ended_by_the_pump_and_frees_its_slot(
    admin_api, tenant, simulator, httpserver, allow_local_http, django_capture_on_commit_callbacks
):
    scheduler = make_scheduler(tenant, concurrent_task_limit=1)
    first = {**TASK, "url_after": httpserver.url_for("/after")}
    post_tasks(admin_api, tenant, scheduler, [first, TASK], django_capture_on_commit_callbacks)
    _run_voice_jobs_losing_the_end_signal(django_capture_on_commit_callbacks)
    assert Job.objects.get(channel="voice").status == Job.Status.SUCCEEDED
    with django_capture_on_commit_callbacks(execute=True):
        callbacks_pump()  # too fresh: the signal may still be on its way
    assert list(CallTask.objects.order_by("id").values_list("status", flat=True)) == [
        Status.EXECUTED, Status.DELAYED_CONCURRENT,
    ]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        callbacks_pump(now=timezone.now() + timedelta(seconds=20))
    ended, second = CallTask.objects.order_by("id")
    assert (ended.status, ended.finish_result) == (Status.FINISHED, "success")
    assert ended.cdr == str(CallRecord.objects.get(task=ended).uuid)
    assert Job.objects.filter(channel="webhook", meta__event="url_after").count() == 1
    assert second.status == Status.EXECUTED  # the slot was given to the next task


def test_a_task_deleted_after_the_pump_read_it_is_skipped_not_started(tenant, simulator):
    scheduler = make_scheduler(tenant)
    now = timezone.now()
    task = CallTask.objects.create(client=tenant, scheduler=scheduler, start_time_utc=now,
                                   next_run_at=now, **TASK)  # fmt: skip
    CallTask.objects.filter(pk=task.pk).delete()  # a DELETE between the pump's read and start
    assert call_task_start(task=task, now=now) is False
    assert not Job.objects.exists()


def test_a_scheduler_with_a_call_in_progress_cannot_be_deleted(admin_api, tenant):
    scheduler = make_scheduler(tenant)
    when = {"start_time_utc": "2030-01-01T00:00Z", "next_run_at": "2030-01-01T00:00Z"}
    running = CallTask.objects.create(client=tenant, scheduler=scheduler, status="executed",
                                      tries_made=1, **TASK, **when)  # fmt: skip
    CallTask.objects.create(client=tenant, scheduler=scheduler, **TASK, **when)
    url = f"/client/{tenant.id}/task_scheduler/{scheduler.id}"
    response = admin_api.delete(url)
    assert response.status_code == 409 and "in progress" in response.json()["detail"]
    assert CallTask.objects.filter(scheduler=scheduler).count() == 2
    CallTask.objects.filter(pk=running.pk).update(status="finished", finish_result="success")
    assert admin_api.delete(f"{url}/").status_code == 204
    assert not TaskScheduler.objects.exists() and not CallTask.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_tasks_are_created_201_even_when_the_pump_after_commit_fails(admin_api, tenant):
    # A scheduler row whose zone no longer exists (written before validation, or a zone
    # removed from tzdata): the pump run after the commit raises on it.
    scheduler = make_scheduler(
        tenant, hours_start="09:00", hours_end="17:00", time_zone="Gone/Zone"
    )
    response = admin_api.post(tasks_url(tenant, scheduler), {"tasks": [TASK]}, format="json")
    assert response.status_code == 201, response.content
    assert CallTask.objects.get().status == Status.SCHEDULED


def test_calling_hours_are_read_in_the_schedulers_time_zone(
    admin_api, tenant, simulator, django_capture_on_commit_callbacks
):
    now = timezone.now()
    local = now.astimezone(ZoneInfo("Asia/Kolkata"))  # UTC+5:30: its hours are not UTC's
    hours = {"hours_start": (local - timedelta(hours=1)).time(),
             "hours_end": (local + timedelta(hours=1)).time()}  # fmt: skip
    kolkata = make_scheduler(tenant, time_zone="Asia/Kolkata", **hours)
    utc = make_scheduler(tenant, time_zone="UTC", **hours)
    for scheduler in (kolkata, utc):
        post_tasks(admin_api, tenant, scheduler, [TASK], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        callbacks_pump(now=now)
    assert CallTask.objects.get(scheduler=kolkata).status == Status.EXECUTED
    assert CallTask.objects.get(scheduler=utc).status == Status.SCHEDULED
