"""The engine with a real Celery worker subprocess: delivery, priorities, kill -9 recovery."""

import time

import pytest
from django.db.models import Count, Q

from apps.delivery.models import Job, OutboxMessage
from apps.delivery.services.jobs import JobSpec, jobs_create
from apps.delivery.services.sweep import leases_rescue, queued_republish
from apps.providers.models import Provider
from tests.delivery.worker import WorkerProcess, wait_until
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _sms_specs(n: int, priority: int) -> list[JobSpec]:
    return [
        JobSpec(channel="sms", payload={"to": f"+9198765{i:05d}", "text": "hi"}, priority=priority)
        for i in range(n)
    ]


@pytest.fixture
def client_with_sandbox():
    client = ClientFactory()
    provider = Provider.objects.create(client=client, name="sb", type="sandbox", service_flag=4)
    return client, provider


def _finished(n: int) -> bool:
    return Job.objects.filter(status="succeeded").count() >= n


def test_worker_delivers_due_jobs_published_on_commit(client_with_sandbox):
    client, _ = client_with_sandbox
    worker = WorkerProcess()
    try:
        jobs = jobs_create(client_id=client.id, specs=_sms_specs(20, 0) + _sms_specs(5, 2))
        wait_until(lambda: _finished(25), timeout=60, message="25 jobs delivered")
    finally:
        worker.stop()
    assert OutboxMessage.objects.count() == 25
    assert set(Job.objects.values_list("status", flat=True)) == {"succeeded"}
    assert {j.uuid for j in jobs} == set(OutboxMessage.objects.values_list("job_uuid", flat=True))


def test_worker_killed_mid_batch_loses_no_job_and_each_ends_once(client_with_sandbox, settings):
    client, provider = client_with_sandbox
    provider.settings = {"latency_ms": 300}
    provider.save()
    settings.FUSION_QUEUED_STALE_SECONDS = 3
    lease = {"FUSION_LEASE_SECONDS": "3", "FUSION_EXECUTE_BATCH_LOW": "10"}
    worker = WorkerProcess(extra_env=lease, name="doomed")
    jobs_create(client_id=client.id, specs=_sms_specs(30, 0))
    try:
        wait_until(
            lambda: Job.objects.filter(status="running").exists(),
            timeout=60,
            message="a job running",
        )
        time.sleep(0.5)
    finally:
        worker.kill_hard()
    assert Job.objects.exclude(status="succeeded").exists(), (
        "the kill came too late to prove anything"
    )
    survivor = WorkerProcess(extra_env=lease, name="survivor")
    try:

        def all_done() -> bool:
            leases_rescue()  # beat's sweeper tasks, run from here at a quicker cadence
            queued_republish()
            return _finished(30)

        wait_until(all_done, timeout=90, interval=1, message="all 30 jobs succeeded after kill -9")
    finally:
        survivor.stop()
    per_job = Job.objects.annotate(wins=Count("attempts", filter=Q(attempts__outcome="succeeded")))
    assert sorted(set(per_job.values_list("wins", flat=True))) == [1]
    assert set(OutboxMessage.objects.values_list("job_uuid", flat=True)) == set(
        Job.objects.values_list("uuid", flat=True)
    )
