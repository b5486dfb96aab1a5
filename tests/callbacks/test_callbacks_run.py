"""Execution through the in-process engine: limits, statuses, retries, events, history."""

import json
from datetime import time as clock

import pytest
from django.dispatch import receiver

from apps.callbacks.models import CallRecord, CallTask
from apps.callbacks.services import callbacks_pump
from apps.delivery.models import Job
from apps.delivery.signals import job_pre_send
from tests.callbacks.conftest import drive, make_scheduler, post_tasks

pytestmark = pytest.mark.django_db
Status = CallTask.Status


def task(n: int, **extra) -> dict:
    return {"a_number": f"+1500555{n:04d}1", "b_number": f"+1500666{n:04d}2", **extra}


class Watch:
    """Running counts at every call start and after every pump; every status seen."""

    def __init__(self, scheduler):
        self.scheduler, self.running, self.statuses = scheduler, [], set()

    def look(self, *args, **kwargs):
        tasks = CallTask.objects.filter(scheduler=self.scheduler)
        self.running.append(tasks.filter(status=Status.EXECUTED).count())
        self.statuses |= set(tasks.values_list("status", flat=True))


@pytest.fixture
def watch():
    made = []

    def start(scheduler):
        made.append(Watch(scheduler))

        @receiver(job_pre_send, weak=False, dispatch_uid="test.callbacks.watch")
        def on_send(sender, job, **kwargs):
            if job.channel == "voice":
                made[-1].look()

        return made[-1]

    yield start
    job_pre_send.disconnect(dispatch_uid="test.callbacks.watch")


def test_concurrency_never_exceeds_the_limit(
    admin_api, tenant, simulator, watch, django_capture_on_commit_callbacks
):
    scheduler = make_scheduler(tenant, concurrent_task_limit=3)
    seen = watch(scheduler)
    post_tasks(admin_api, tenant, scheduler, [task(n) for n in range(12)],
               django_capture_on_commit_callbacks)  # fmt: skip
    drive(django_capture_on_commit_callbacks, scheduler, on_pass=seen.look)
    assert max(seen.running) == 3, seen.running
    assert Status.DELAYED_CONCURRENT in seen.statuses
    finished = CallTask.objects.filter(scheduler=scheduler)
    assert set(finished.values_list("finish_result", flat=True)) == {"success"}
    assert CallRecord.objects.filter(scheduler=scheduler, answered=True).count() == 12


def test_interval_spaces_the_starts(
    admin_api, tenant, simulator, watch, django_capture_on_commit_callbacks
):
    scheduler = make_scheduler(tenant, concurrent_task_limit=10, interval=0.3)
    seen = watch(scheduler)
    post_tasks(admin_api, tenant, scheduler, [task(n) for n in range(4)],
               django_capture_on_commit_callbacks)  # fmt: skip
    drive(django_capture_on_commit_callbacks, scheduler, on_pass=seen.look)
    starts = sorted(CallTask.objects.values_list("started_at", flat=True))
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.3, gaps
    assert Status.DELAYED_INTERVAL in seen.statuses


def test_failed_tries_are_retried_after_the_pause_then_finish_failed(
    admin_api, tenant, simulator, httpserver, allow_local_http, django_capture_on_commit_callbacks
):
    scheduler = make_scheduler(tenant)
    httpserver.expect_request("/again", method="POST").respond_with_data("ok")
    busy_b = {"a_number": "+15005550001", "b_number": "+15005550000",  # *0 is busy
              "url_before_again": httpserver.url_for("/again")}  # fmt: skip
    [made] = post_tasks(admin_api, tenant, scheduler,
                        [{**busy_b, "try_count": 3, "try_again_pause": 1}],
                        django_capture_on_commit_callbacks)  # fmt: skip
    from tests.delivery.conftest import run_engine

    run_engine(django_capture_on_commit_callbacks)
    assert CallTask.objects.get().status == Status.DELAYED
    drive(django_capture_on_commit_callbacks, scheduler)
    done = CallTask.objects.get()
    assert (done.status, done.finish_result, done.tries_made) == ("finished", "failed", 3)
    assert "b_busy" in done.finish_comment
    calls = list(CallRecord.objects.order_by("id"))
    assert [c.try_number for c in calls] == [1, 2, 3]
    gaps = [
        (b.started_at - a.ended_at).total_seconds() for a, b in zip(calls, calls[1:], strict=False)
    ]
    assert min(gaps) >= 1, gaps
    assert done.cdr == str(calls[-1].uuid)
    again = [json.loads(request.data) for request, _ in httpserver.log]
    assert [body["event"] for body in again] == ["url_before_again"] * 2


def test_low_asr_holds_new_starts(admin_api, tenant, simulator, django_capture_on_commit_callbacks):
    scheduler = make_scheduler(tenant, asr_window=2, asr_threshold=0.5, asr_delay=600)
    busy_a = [{"a_number": "+15005550000", "b_number": "+15005550001"}] * 2
    post_tasks(admin_api, tenant, scheduler, busy_a, django_capture_on_commit_callbacks)
    drive(django_capture_on_commit_callbacks, scheduler)
    assert set(CallTask.objects.values_list("finish_comment", flat=True)) == {
        "a_busy: A leg +15005550000: busy"
    }
    post_tasks(admin_api, tenant, scheduler, [task(1)], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        callbacks_pump()
    held = CallTask.objects.exclude(status=Status.FINISHED).get()
    assert held.status == Status.DELAYED_ASR and held.tries_made == 0


def test_outside_calling_hours_nothing_starts(
    admin_api, tenant, simulator, django_capture_on_commit_callbacks
):
    scheduler = make_scheduler(tenant, hours_start=clock(0, 0), hours_end=clock(0, 0, 1))
    post_tasks(admin_api, tenant, scheduler, [task(1)], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        callbacks_pump()
    assert CallTask.objects.get().status == Status.SCHEDULED
    assert not Job.objects.exists()


def test_events_reach_the_receiver_and_history_has_the_legs(
    admin_api, tenant, simulator, httpserver, allow_local_http, django_capture_on_commit_callbacks
):
    scheduler = make_scheduler(tenant)
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    urls = {k: httpserver.url_for("/hook")
            for k in ("url_before", "url_before_again", "url_success", "url_after")}  # fmt: skip
    extended = {"a_number": "+15005550009", "b_number": "+15005550002",  # *9: A no answer
                "callback_params": {"extended_a_numbers": ["+15005550003"],
                                    "caller_id_number": "+15005551111"}}  # fmt: skip
    post_tasks(admin_api, tenant, scheduler, [{**extended, **urls}],
               django_capture_on_commit_callbacks)  # fmt: skip
    drive(django_capture_on_commit_callbacks, scheduler)
    bodies = [json.loads(request.data) for request, _ in httpserver.log]
    by_event = {b["event"]: b for b in bodies}  # independent deliveries: no order promised
    assert sorted(by_event) == ["url_after", "url_before", "url_success"] and len(bodies) == 3
    assert by_event["url_before"]["task"]["status"] == "executed"
    after = by_event["url_after"]
    assert after["task"]["status"] == "finished" and after["task"]["finish_result"] == "success"
    cdr = after["task"]["cdr"]
    assert after["call"]["call_uuid"] == cdr
    history = admin_api.get(f"/client/{tenant.id}/call_history/{cdr}").json()
    assert [(leg["leg"], leg["number"], leg["status"]) for leg in history["legs"]] == [
        ("A", "+15005550009", "no_answer"), ("A", "+15005550003", "answered"),
        ("B", "+15005550002", "answered"),
    ]  # fmt: skip
    assert history["answered"] and history["hangup_cause"] == "NORMAL_CLEARING"
    assert history["a_number"] == "+15005550003" and history["duration"] > 0


def test_call_history_of_another_client_is_404(admin_api, other_tenant):
    record_url = f"/client/{other_tenant.id}/call_history/1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    assert admin_api.get(record_url).status_code == 404
