"""Callbacks fixtures: a simulator voice provider, a scheduler, and an engine loop."""

import time

import pytest

from apps.callbacks.models import CallTask, TaskScheduler
from apps.callbacks.services import callbacks_pump
from apps.providers.models import Provider
from tests.delivery.conftest import run_engine

FAST = {"min_seconds": 0.05, "max_seconds": 0.05, "patterns": {"busy": "*0", "no_answer": "*9"}}


@pytest.fixture
def simulator(tenant):
    """The tenant's telephony simulator: ~0.05 s calls; *0 busy, *9 no answer."""
    return Provider.objects.create(
        client=tenant, name="sim", type="simulator", service_flag=1, settings=FAST
    )


def make_scheduler(tenant, **fields) -> TaskScheduler:
    return TaskScheduler.objects.create(client=tenant, name="queue", **fields)


def tasks_url(tenant, scheduler) -> str:
    return f"/client/{tenant.id}/task_scheduler/{scheduler.id}/tasks/"


def post_tasks(api, tenant, scheduler, tasks, capture) -> list[dict]:
    """POST the tasks; the pump that runs after commit runs too (capture executes it)."""
    with capture(execute=True):
        response = api.post(tasks_url(tenant, scheduler), {"tasks": tasks}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def drive(capture, scheduler, *, timeout: float = 20, on_pass=None) -> int:
    """Pump and run the engine in-process until every task of ``scheduler`` is finished."""
    deadline, passes = time.monotonic() + timeout, 0
    open_tasks = CallTask.objects.filter(scheduler=scheduler).exclude(
        status=CallTask.Status.FINISHED
    )
    while open_tasks.exists():
        assert time.monotonic() < deadline, list(open_tasks.values("id", "status"))
        with capture(execute=True):
            callbacks_pump()
        if on_pass:
            on_pass()
        run_engine(capture, rounds=2)
        passes += 1
        time.sleep(0.02)
    run_engine(capture, rounds=3)  # the last events
    return passes
