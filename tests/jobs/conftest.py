"""Queue-face fixtures: task bodies, sandbox providers and the engine run in-process."""

import pytest

from apps.delivery.models import Job
from apps.delivery.services.dispatch import dispatch_once
from apps.delivery.services.execute import job_execute
from apps.providers.catalog import SERVICE_FLAGS
from apps.providers.models import Provider

NUMBER = "+919876543210"  # 9876543210 with country code 91


def sms_task(**overrides) -> dict:
    """The spec's SMS OTP example."""
    task = {
        "task": 1,
        "task_type": 1,
        "data": {"contact": 9876543210, "message": "Your OTP is 1234", "countryCode": 91},
        "log_tag": "SMS_OTP",
    }
    return task | overrides


def email_task(**overrides) -> dict:
    task = {
        "task": 2,
        "task_type": 1,
        "data": {"to": ["user@example.com"], "subject": "Hi", "message": "<p>Hello</p>"},
    }
    return task | overrides


def scheduled(task: dict, sch_time: str, **extra) -> dict:
    return {**task, "sch_time": sch_time, **extra}


@pytest.fixture
def sandbox_for(tenant):
    """``sandbox_for("sms")``: a sandbox provider of the tenant serving one channel."""

    def make(channel: str, **fields) -> Provider:
        return Provider.objects.create(
            client=tenant,
            name=fields.pop("name", "sb"),
            type="sandbox",
            service_flag=SERVICE_FLAGS[channel],
            **fields,
        )

    return make


@pytest.fixture
def run_engine(django_capture_on_commit_callbacks):
    """Dispatch what is due and execute it in-process, as a worker would (no broker)."""

    def run(rounds: int = 3) -> list[int]:
        ran = []
        for _ in range(rounds):
            with django_capture_on_commit_callbacks(execute=False):
                claimed = dispatch_once()
            if not claimed:
                break
            for job_id in Job.objects.filter(status=Job.Status.QUEUED).values_list("id", flat=True):
                job_execute(job_id=job_id)
                ran.append(job_id)
        return ran

    return run
