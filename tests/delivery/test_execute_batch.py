"""Batched execution: one lease, bulk writes, mixed outcomes, lost leases, slow batches."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.delivery.models import Attempt, Job, OutboxMessage
from apps.delivery.services.dispatch import dispatch_once
from apps.delivery.services.execute import jobs_execute, jobs_lease_take
from apps.delivery.services.finish import runs_finish
from apps.delivery.services.jobs import JobSpec, job_cancel, jobs_create
from apps.providers.models import Provider

pytestmark = pytest.mark.django_db


def _queued(tenant, numbers, capture, **spec) -> list[Job]:
    """Jobs to ``numbers``, created and claimed (queued), ready for a worker."""
    specs = [JobSpec(channel="sms", payload={"to": n, "text": "hi"}, **spec) for n in numbers]
    jobs = jobs_create(client_id=tenant.id, specs=specs)
    with capture(execute=False):
        dispatch_once()
    return jobs


def _numbers(count: int) -> list[str]:
    return [f"+9198765{i:05d}" for i in range(count)]


def _statements(job_count, tenant, capture) -> int:
    jobs = _queued(tenant, _numbers(job_count), capture)
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        statuses = jobs_execute(job_ids=[job.id for job in jobs])
    assert set(statuses.values()) == {"succeeded"}
    Job.objects.all().delete()
    return len(queries.captured_queries)


def test_a_batch_costs_the_same_statements_whatever_its_size(
    tenant, sandbox, django_capture_on_commit_callbacks
):
    one = _statements(1, tenant, django_capture_on_commit_callbacks)
    forty = _statements(40, tenant, django_capture_on_commit_callbacks)
    assert forty == one <= 12
    assert OutboxMessage.objects.count() == 41


def test_a_batch_with_mixed_outcomes_records_each_job_its_own_way(
    tenant, django_capture_on_commit_callbacks
):
    bad, good = "+919800000001", "+919800000003"
    failing = {"fail_recipients": [bad], "failure": "permanent"}
    Provider.objects.create(client=tenant, name="perm", type="sandbox", service_flag=4,
                            settings=failing)  # fmt: skip
    numbers = [bad, good, good]
    jobs = _queued(tenant, numbers, django_capture_on_commit_callbacks, attempts_allowed=3)
    job_cancel(job=jobs[2])  # cancelled after it was queued: not ours to run any more
    with django_capture_on_commit_callbacks(execute=True):
        statuses = jobs_execute(job_ids=[job.id for job in jobs])
    assert statuses == {jobs[0].id: "failed", jobs[1].id: "succeeded", jobs[2].id: None}
    first = Job.objects.get(pk=jobs[0].pk)
    assert first.reason == "sandbox" and first.finished_at and first.lease_token is None
    assert list(first.attempts.values_list("outcome", "permanent")) == [("failed", True)]
    assert Job.objects.get(pk=jobs[1].pk).result["provider_message_id"].startswith("sandbox-")
    assert Job.objects.get(pk=jobs[2].pk).status == "cancelled"
    assert OutboxMessage.objects.get().recipient == good


def test_transient_failures_in_a_batch_wait_for_their_retry(
    tenant, django_capture_on_commit_callbacks
):
    Provider.objects.create(client=tenant, name="flaky", type="sandbox", service_flag=4,
                            settings={"failure_rate": 1, "failure": "transient"})  # fmt: skip
    jobs = _queued(tenant, _numbers(3), django_capture_on_commit_callbacks, attempts_allowed=2)
    before = timezone.now()
    statuses = jobs_execute(job_ids=[job.id for job in jobs])
    assert set(statuses.values()) == {"retrying"}
    for job in Job.objects.filter(pk__in=[j.pk for j in jobs]):
        assert job.run_at > before and job.finished_at is None and job.lease_token is None
        assert list(job.events.values_list("kind", flat=True))[-2:] == ["started", "retrying"]


def test_a_job_rescued_during_its_batch_keeps_the_rescuers_outcome(
    tenant, sandbox, django_capture_on_commit_callbacks
):
    jobs = _queued(tenant, _numbers(2), django_capture_on_commit_callbacks)
    token = uuid.uuid4()
    taken = jobs_lease_take(job_ids=[job.id for job in jobs], token=token)
    assert [job.id for job in taken] == [job.id for job in jobs]
    # The sweeper took the second job back (its lease had expired) before this batch ended.
    Job.objects.filter(pk=jobs[1].pk).update(status="retrying", lease_token=None)
    from apps.delivery.services.execute import _attempts_open, _group_send, _run_prepare

    runs = [_run_prepare(job, {}) for job in taken]
    _attempts_open(runs)
    _group_send(runs)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = runs_finish(runs=runs, token=token)
    assert statuses == {jobs[0].id: "succeeded", jobs[1].id: None}
    rescued = Job.objects.get(pk=jobs[1].pk)
    assert rescued.status == "retrying"
    assert list(rescued.events.values_list("kind", flat=True))[-1] == "lease_lost"


def test_finishing_part_of_a_batch_extends_the_leases_of_the_rest(
    tenant, sandbox, django_capture_on_commit_callbacks
):
    jobs = _queued(tenant, _numbers(2), django_capture_on_commit_callbacks)
    token = uuid.uuid4()
    jobs_lease_take(job_ids=[job.id for job in jobs], token=token)
    soon = timezone.now() + timedelta(seconds=1)
    Job.objects.filter(pk=jobs[1].pk).update(lease_expires_at=soon)
    runs_finish(runs=[], token=token, renew_ids=[jobs[1].pk])
    renewed = Job.objects.get(pk=jobs[1].pk).lease_expires_at
    assert renewed > soon + timedelta(seconds=10)


def test_a_slow_batch_records_each_job_as_it_finishes(
    tenant, settings, django_capture_on_commit_callbacks
):
    settings.FUSION_EXECUTE_FLUSH_SECONDS = 0
    Provider.objects.create(client=tenant, name="slow", type="sandbox", service_flag=4,
                            settings={"latency_ms": 30})  # fmt: skip
    jobs = _queued(tenant, _numbers(3), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        jobs_execute(job_ids=[job.id for job in jobs])
    ends = [Job.objects.get(pk=job.pk).finished_at for job in jobs]
    assert ends[0] < ends[1] < ends[2]  # one transaction per job, not one at the batch's end
    assert (ends[2] - ends[0]).total_seconds() >= 0.05
    assert Attempt.objects.filter(outcome="succeeded").count() == 3


def test_a_receiver_failing_for_one_job_does_not_stop_the_rest_of_its_batch(
    tenant, sandbox, django_capture_on_commit_callbacks
):
    from apps.delivery.signals import job_pre_send

    jobs = _queued(tenant, _numbers(2), django_capture_on_commit_callbacks, attempts_allowed=2)

    def broken(sender, job, **kwargs):
        if job.pk == jobs[0].pk:
            raise RuntimeError("a bug in a face")

    job_pre_send.connect(broken, dispatch_uid="test.broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            statuses = jobs_execute(job_ids=[job.id for job in jobs])
    finally:
        job_pre_send.disconnect(dispatch_uid="test.broken")
    assert statuses == {jobs[0].id: "retrying", jobs[1].id: "succeeded"}
    assert Job.objects.get(pk=jobs[0].pk).reason == "internal_error"
