"""Engine fixtures: sandbox providers and a helper that runs the engine in-process."""

import pytest

from apps.delivery.models import Job
from apps.delivery.services.dispatch import dispatch_once
from apps.delivery.services.execute import job_execute
from apps.providers.catalog import SERVICE_FLAGS, flag_of_channels
from apps.providers.models import Provider

ALL_FLAGS = flag_of_channels(SERVICE_FLAGS)


@pytest.fixture
def sandbox(tenant):
    """A sandbox provider serving every channel for the tenant."""
    return Provider.objects.create(
        client=tenant, name="sandbox", type="sandbox", service_flag=ALL_FLAGS, weight=10
    )


def run_engine(django_capture_on_commit_callbacks, *, rounds: int = 5) -> list[int]:
    """Dispatch what is due and execute it here, as the worker would; returns run job ids."""
    ran = []
    for _ in range(rounds):
        with django_capture_on_commit_callbacks(execute=False):
            claimed = dispatch_once()
        if not claimed:
            break
        for job_id in Job.objects.filter(status=Job.Status.QUEUED).values_list("id", flat=True):
            # Commit callbacks run as after a real commit: the job_finished signal reaches the
            # faces (a dispatcher kick also goes out; no worker listens in these tests).
            with django_capture_on_commit_callbacks(execute=True):
                job_execute(job_id=job_id)
            ran.append(job_id)
    return ran
