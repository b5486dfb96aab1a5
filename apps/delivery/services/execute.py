"""Running one job: take its lease, choose a provider, call the gateway, record the outcome.

The lease (a token plus an expiry) makes the end exactly-once: only the holder of the current
token may finish the job, so a worker whose lease was rescued by the sweeper cannot
overwrite the outcome of the retry.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.delivery.gateways.base import DeliveryError, Message, Outcome
from apps.delivery.gateways.registry import gateway_class
from apps.delivery.models import Attempt, Job
from apps.delivery.services.backoff import retry_delay
from apps.delivery.services.events import event_record
from apps.delivery.services.receipts import payload_with_receipt_url
from apps.delivery.signals import job_finished, job_pre_send
from apps.providers.selectors import provider_choose

logger = logging.getLogger(__name__)


def job_lease_take(*, job_id: int) -> uuid.UUID | None:
    """queued → running with a fresh lease; None when someone else has it or it was cancelled."""
    token = uuid.uuid4()
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        lease_token=token,
        lease_expires_at=now + timedelta(seconds=settings.FUSION_LEASE_SECONDS),
        started_at=now,
        attempts_made=F("attempts_made") + 1,
    )
    return token if taken else None


def job_execute(*, job_id: int) -> str | None:
    """Run one try of the job; returns its new status (None when it was not ours to run)."""
    token = job_lease_take(job_id=job_id)
    if token is None:
        return None
    job = Job.objects.select_related("client").get(pk=job_id)
    event_record(job_id=job.id, kind="started", attempt=job.attempts_made)
    # A face may have reserved this attempt's row already (the Comms face answers a spool id
    # when a transmission is sent, before any worker runs it).
    attempt, created = Attempt.objects.get_or_create(job=job, number=job.attempts_made)
    if not created:
        attempt.outcome, attempt.started_at = Attempt.Outcome.STARTED, timezone.now()
        attempt.save(update_fields=["outcome", "started_at"])
    try:
        outcome = _deliver(job, attempt)
    except DeliveryError as error:
        return _job_fail(job, attempt, token, error)
    except Exception as exc:  # a bug or an unexpected vendor library error: retry, never lose
        logger.exception("job %s: unexpected error", job.uuid)
        error = DeliveryError(f"internal error: {exc}", permanent=False, reason="internal_error")
        return _job_fail(job, attempt, token, error)
    return _job_succeed(job, attempt, token, outcome)


def _previous_provider_failed(job: Job) -> int | None:
    last = job.attempts.exclude(number=job.attempts_made).order_by("-number").first()
    return last.provider_id if last and last.outcome == Attempt.Outcome.FAILED else None


def _deliver(job: Job, attempt: Attempt) -> Outcome:
    job_pre_send.send(sender=Job, job=job)
    provider = _provider_for(job)
    kind = provider.type if provider else "webhook"
    gateway_cls = gateway_class(job.channel, kind)
    if gateway_cls is None:
        raise DeliveryError(
            f"no {job.channel} gateway of type {kind!r}", permanent=True, reason="no_gateway"
        )
    attempt.provider, attempt.gateway = provider, gateway_cls.__name__
    attempt.save(update_fields=["provider", "gateway"])
    # SMS vendors report delivery to this attempt's receipt URL (when FUSION_PUBLIC_URL is set).
    payload = payload_with_receipt_url(job=job, attempt=attempt, payload=_payload_for_send(job))
    message = Message(
        job_id=str(job.uuid),
        channel=job.channel,
        payload=payload,
        idempotency_key=f"{job.uuid}",
        attempt=job.attempts_made,
        client_id=job.client_id,
    )
    return gateway_cls(provider).send(message)


def _provider_for(job: Job):
    if job.origin == "hook":  # callbacks go to the client's own URL, never via a provider
        return None
    pinned = job.provider_id or (job.payload.get("config") or {}).get("provider")
    provider = provider_choose(
        client_id=job.client_id,
        channel=job.channel,
        pinned=pinned,
        avoid_id=_previous_provider_failed(job),
    )
    if provider is None and job.channel != "webhook":
        raise DeliveryError(
            f"no active {job.channel} provider", permanent=True, reason="no_provider"
        )
    return provider


def _payload_for_send(job: Job) -> dict:
    if job.origin == "hook":
        from apps.delivery.services.hooks import hook_payload_signed

        return hook_payload_signed(job)
    return job.payload


def _attempt_close(attempt: Attempt, **fields) -> None:
    fields["ended_at"] = timezone.now()
    for name, value in fields.items():
        setattr(attempt, name, value)
    attempt.save()


def _job_succeed(job: Job, attempt: Attempt, token, outcome: Outcome) -> str | None:
    _attempt_close(
        attempt,
        outcome=Attempt.Outcome.SUCCEEDED,
        connected_at=timezone.now(),
        provider_message_id=outcome.provider_message_id[:255],
        request=outcome.request,
        response=outcome.response,
    )
    result = {"provider_message_id": outcome.provider_message_id, "delivered": outcome.delivered}
    result.update({"response": outcome.response} if outcome.response else {})
    return _job_end(job, token, Job.Status.SUCCEEDED, result=result, last_error="", reason="")


def _job_fail(job: Job, attempt: Attempt, token, error: DeliveryError) -> str | None:
    _attempt_close(
        attempt,
        outcome=Attempt.Outcome.FAILED,
        error=str(error)[:2000],
        reason=error.reason,
        permanent=error.permanent,
        response=error.response,
    )
    if not error.permanent and job.attempts_made < job.attempts_allowed:
        delay = retry_delay(attempt=job.attempts_made, hook=job.origin == "hook")
        changed = Job.objects.filter(
            pk=job.pk, lease_token=token, status=Job.Status.RUNNING
        ).update(
            status=Job.Status.RETRYING,
            run_at=timezone.now() + delay,
            lease_token=None,
            lease_expires_at=None,
            last_error=str(error)[:2000],
            reason=error.reason,
        )
        if changed:
            event_record(
                job_id=job.id,
                kind="retrying",
                reason=error.reason,
                delay_seconds=round(delay.total_seconds(), 1),
            )
        return Job.Status.RETRYING if changed else None
    return _job_end(
        job, token, Job.Status.FAILED, last_error=str(error)[:2000], reason=error.reason
    )


def _job_end(job: Job, token, status: str, **fields) -> str | None:
    """running → a final state, only for the current lease holder; then events and hooks."""
    with transaction.atomic():
        changed = Job.objects.filter(
            pk=job.pk, lease_token=token, status=Job.Status.RUNNING
        ).update(
            status=status,
            finished_at=timezone.now(),
            lease_token=None,
            lease_expires_at=None,
            **fields,
        )
        if not changed:
            event_record(job_id=job.id, kind="lease_lost")
            return None
        event_record(job_id=job.id, kind=status, reason=fields.get("reason", ""))
        job_final_effects(job_id=job.id)
    return status


def job_final_effects(*, job_id: int) -> None:
    """What every final state triggers, inside its transaction: callbacks, then the signal."""
    from apps.delivery.services.hooks import hooks_schedule

    hooks_schedule(job_id=job_id)
    transaction.on_commit(lambda: job_finished_announce(job_id=job_id))


def job_finished_announce(*, job_id: int) -> None:
    """Tell the faces (job_finished signal) that a job reached its final state."""
    job = Job.objects.get(pk=job_id)
    job_finished.send(sender=Job, job=job)
