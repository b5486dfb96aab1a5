"""The engine in-process: claim order, execution, retries, failover, leases, cancel, hooks."""

import random
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.delivery.models import Attempt, Job, OutboxMessage
from apps.delivery.services.dispatch import _claim, dispatch_once
from apps.delivery.services.execute import job_execute, jobs_lease_take
from apps.delivery.services.jobs import JobSpec, job_cancel, job_reschedule, job_retry, jobs_create
from apps.delivery.services.sweep import leases_rescue, queued_republish
from apps.providers.models import Provider
from apps.providers.selectors import provider_choose
from tests.delivery.conftest import run_engine

pytestmark = pytest.mark.django_db

SMS = {"to": "+919876543210", "text": "Your OTP is 1234"}


def _sms(tenant, **kwargs):
    return jobs_create(client_id=tenant.id, specs=[JobSpec(channel="sms", payload=SMS, **kwargs)])[
        0
    ]


def test_claim_takes_due_jobs_only_in_run_at_order(tenant):
    now = timezone.now()
    late = _sms(tenant, priority=0, run_at=now - timedelta(seconds=5))
    early = _sms(tenant, priority=0, run_at=now - timedelta(seconds=50))
    _sms(tenant, priority=0, run_at=now + timedelta(hours=1))
    assert _claim(0, 10, timezone.now()) == [early.id, late.id]
    assert set(Job.objects.filter(status="queued").values_list("id", flat=True)) == {
        early.id,
        late.id,
    }


def test_high_priority_is_claimed_first_and_despite_a_low_backlog(
    tenant, settings, django_capture_on_commit_callbacks
):
    settings.FUSION_DISPATCH_MAX_QUEUED = 3
    for _ in range(5):
        _sms(tenant, priority=0)
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_once()
    assert Job.objects.filter(priority=0, status="queued").count() == 3  # back-pressure
    otp = _sms(tenant, priority=2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert dispatch_once() == 1
    otp.refresh_from_db()
    assert otp.status == "queued" and len(callbacks) == 1


def test_a_due_job_runs_through_the_sandbox_into_the_outbox(
    tenant, sandbox, django_capture_on_commit_callbacks
):
    job = _sms(tenant, log_tag="SMS_OTP")
    run_engine(django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.attempts_made == 1
    assert job.result["provider_message_id"].startswith("sandbox-")
    outbox = OutboxMessage.objects.get(job_uuid=job.uuid)
    assert outbox.recipient == SMS["to"] and outbox.payload["text"] == SMS["text"]
    assert list(job.events.values_list("kind", flat=True)) == [
        "created",
        "queued",
        "started",
        "succeeded",
    ]
    attempt = job.attempts.get()
    assert attempt.provider == sandbox and attempt.outcome == "succeeded" and attempt.ended_at


def test_future_job_waits_for_its_time(tenant, sandbox, django_capture_on_commit_callbacks):
    job = _sms(tenant, run_at=timezone.now() + timedelta(minutes=5))
    assert run_engine(django_capture_on_commit_callbacks) == []
    job.refresh_from_db()
    assert job.status == "scheduled"


def test_transient_failure_retries_with_backoff_then_fails_with_reason(
    tenant, sandbox, django_capture_on_commit_callbacks
):
    sandbox.settings = {"failure_rate": 1, "failure": "transient"}
    sandbox.save()
    job = _sms(tenant, attempts_allowed=3)
    run_engine(django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == "retrying" and job.run_at > timezone.now() and job.reason == "sandbox"
    for _ in range(2):
        Job.objects.filter(pk=job.pk).update(run_at=timezone.now())
        run_engine(django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == "failed" and job.attempts_made == 3 and job.reason == "sandbox"
    assert job.attempts.filter(outcome="failed", permanent=False).count() == 3


def test_permanent_failure_fails_at_once(tenant, sandbox, django_capture_on_commit_callbacks):
    sandbox.settings = {"fail_recipients": [SMS["to"]], "failure": "permanent"}
    sandbox.save()
    job = _sms(tenant, attempts_allowed=5)
    run_engine(django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == "failed" and job.attempts_made == 1


def test_no_provider_fails_with_reason_never_stuck(tenant, django_capture_on_commit_callbacks):
    job = _sms(tenant, attempts_allowed=3)
    run_engine(django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.reason) == ("failed", "no_provider")


def test_retry_after_transient_failure_fails_over_to_another_provider(
    tenant, django_capture_on_commit_callbacks
):
    flaky = Provider.objects.create(client=tenant, name="flaky", type="sandbox", service_flag=4,
                                    weight=0, settings={"failure_rate": 1})  # fmt: skip
    steady = Provider.objects.create(
        client=tenant, name="steady", type="sandbox", service_flag=4, weight=1000
    )
    job = _sms(tenant, attempts_allowed=2)
    random.seed(1)
    while True:  # the first try may pick either; make it the flaky one
        Job.objects.filter(pk=job.pk).update(
            status="scheduled", run_at=timezone.now(), attempts_made=0
        )
        Attempt.objects.filter(job=job).delete()
        run_engine(django_capture_on_commit_callbacks, rounds=1)
        if job.attempts.get().provider == flaky:
            break
    Job.objects.filter(pk=job.pk).update(run_at=timezone.now())
    run_engine(django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert [a.provider for a in job.attempts.order_by("number")] == [flaky, steady]


def test_lighter_weight_is_chosen_more_often_and_a_pin_wins(tenant):
    light = Provider.objects.create(
        client=tenant, name="light", type="sandbox", service_flag=4, weight=1
    )
    heavy = Provider.objects.create(
        client=tenant, name="heavy", type="sandbox", service_flag=4, weight=9
    )
    rng = random.Random(7)
    picks = [provider_choose(client_id=tenant.id, channel="sms", rng=rng) for _ in range(2000)]
    assert picks.count(light) > 3 * picks.count(heavy) > 0
    assert provider_choose(client_id=tenant.id, channel="sms", pinned="heavy") == heavy
    assert provider_choose(client_id=tenant.id, channel="email") is None


def test_config_provider_in_the_payload_pins_it(tenant, django_capture_on_commit_callbacks):
    Provider.objects.create(client=tenant, name="msg91", type="sandbox", service_flag=4, weight=0)
    pinned = Provider.objects.create(
        client=tenant, name="other", type="sandbox", service_flag=4, weight=99
    )
    job = jobs_create(
        client_id=tenant.id,
        specs=[JobSpec(channel="sms", payload={**SMS, "config": {"provider": "other"}})],
    )[0]
    run_engine(django_capture_on_commit_callbacks)
    assert job.attempts.get().provider == pinned


def test_cancel_before_running_and_not_after(tenant, sandbox, django_capture_on_commit_callbacks):
    waiting = _sms(tenant, run_at=timezone.now() + timedelta(hours=1))
    assert job_cancel(job=waiting) is True
    done = _sms(tenant)
    run_engine(django_capture_on_commit_callbacks)
    assert job_cancel(job=done) is False
    waiting.refresh_from_db()
    assert (
        waiting.status == "cancelled"
        and not OutboxMessage.objects.filter(job_uuid=waiting.uuid).exists()
    )


def test_a_cancelled_queued_job_is_skipped_by_the_worker(
    tenant, sandbox, django_capture_on_commit_callbacks
):
    job = _sms(tenant)
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_once()
    assert job_cancel(job=job) is True
    assert job_execute(job_id=job.id) is None
    assert not OutboxMessage.objects.exists()


def test_reschedule_only_before_execution_and_retry_only_after_failure(
    tenant, sandbox, django_capture_on_commit_callbacks
):
    job = _sms(tenant, run_at=timezone.now() + timedelta(hours=1))
    new_time = timezone.now() + timedelta(hours=2)
    assert job_reschedule(job=job, run_at=new_time) is True
    assert job_retry(job=job) is False
    Job.objects.filter(pk=job.pk).update(run_at=timezone.now())
    run_engine(django_capture_on_commit_callbacks)
    assert job_reschedule(job=job, run_at=new_time) is False
    Job.objects.filter(pk=job.pk).update(status="failed")
    assert job_retry(job=job) is True
    job.refresh_from_db()
    assert job.status == "retrying" and job.run_at > timezone.now() + timedelta(seconds=100)


def test_expired_lease_is_rescued_and_the_old_holder_cannot_finish(
    tenant, sandbox, django_capture_on_commit_callbacks
):
    job = _sms(tenant)
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_once()
    stale_token = uuid.uuid4()
    assert jobs_lease_take(job_ids=[job.id], token=stale_token)
    Attempt.objects.create(job=job, number=1)
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert leases_rescue() == 1
    job.refresh_from_db()
    assert job.status == "retrying" and job.reason == "worker_lost"
    run_engine(django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.lease_token is None and stale_token is not None
    assert Job.objects.filter(pk=job.pk, lease_token=stale_token).count() == 0
    assert job.attempts.filter(outcome="succeeded").count() == 1


def test_stale_queued_jobs_are_published_again(
    tenant, settings, django_capture_on_commit_callbacks
):
    job = _sms(tenant)
    with django_capture_on_commit_callbacks(execute=False):
        dispatch_once()
    Job.objects.filter(pk=job.pk).update(queued_at=timezone.now() - timedelta(minutes=10))
    assert queued_republish() == 1
    job.refresh_from_db()
    assert job.status == "queued" and job.queued_at > timezone.now() - timedelta(seconds=5)


def test_a_reserved_attempt_is_the_one_the_worker_uses(
    tenant, sandbox, django_capture_on_commit_callbacks
):
    from apps.delivery.services.jobs import job_attempt_reserve

    job = _sms(tenant)
    reserved = job_attempt_reserve(job=job)
    assert reserved.number == 1 and reserved.outcome == "queued"
    run_engine(django_capture_on_commit_callbacks)
    reserved.refresh_from_db()
    assert reserved.outcome == "succeeded" and job.attempts.count() == 1


def test_at_the_broker_cap_room_reopens_only_after_a_tenth_has_drained(
    tenant, settings, django_capture_on_commit_callbacks
):
    settings.FUSION_DISPATCH_MAX_QUEUED = 20
    for _ in range(30):
        _sms(tenant, priority=0)
    with django_capture_on_commit_callbacks(execute=False):
        assert dispatch_once() == 20
    Job.objects.filter(pk__in=Job.objects.filter(status="queued").values("pk")[:1]).update(
        status="succeeded"
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert dispatch_once() == 0  # one freed slot is not worth a claim
    Job.objects.filter(pk__in=Job.objects.filter(status="queued").values("pk")[:1]).update(
        status="succeeded"
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert dispatch_once() == 2
