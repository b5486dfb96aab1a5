"""Running one job: take its lease, choose a provider, call the gateway, record the outcome.

The lease (a token plus an expiry) makes the end exactly-once: only the holder of the current
token may finish the job, so a worker whose lease was rescued by the sweeper cannot
overwrite the outcome of the retry.

Hot path, so the writes are few: the lease (1 UPDATE), the job (1 SELECT), the attempt
(1 INSERT), then one transaction for the end: attempt, job and its events together.
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
from apps.delivery.models import Attempt, Event, Job
from apps.delivery.services.backoff import retry_delay
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
    started = Event(job=job, kind="started", at=job.started_at, data={"attempt": job.attempts_made})
    try:
        provider, gateway_cls = _route(job)
    except DeliveryError as error:
        return _job_fail(job, _attempt_open(job, None, ""), token, error, started)
    attempt = _attempt_open(job, provider, gateway_cls.__name__)
    try:
        outcome = gateway_cls(provider).send(_message(job, attempt))
    except DeliveryError as error:
        return _job_fail(job, attempt, token, error, started)
    except Exception as exc:  # a bug or an unexpected vendor library error: retry, never lose
        logger.exception("job %s: unexpected error", job.uuid)
        error = DeliveryError(f"internal error: {exc}", permanent=False, reason="internal_error")
        return _job_fail(job, attempt, token, error, started)
    return _job_succeed(job, attempt, token, outcome, started)


def _attempt_open(job: Job, provider, gateway: str) -> Attempt:
    """This try's row. A face may have reserved it already (the Comms face answers a spool id
    when a transmission is sent, before any worker runs it)."""
    fields = {"provider": provider, "gateway": gateway, "outcome": Attempt.Outcome.STARTED,
              "started_at": job.started_at}  # fmt: skip
    if job.meta.get("reserved_attempt") == job.attempts_made:
        attempt = Attempt.objects.get(job=job, number=job.attempts_made)
        for name, value in fields.items():
            setattr(attempt, name, value)
        attempt.save(update_fields=list(fields))
        return attempt
    return Attempt.objects.create(job=job, number=job.attempts_made, **fields)


def _route(job: Job):
    """(provider, gateway class) for this try; the faces' pre-send checks run first."""
    job_pre_send.send(sender=Job, job=job)
    provider = _provider_for(job)
    kind = provider.type if provider else "webhook"
    gateway_cls = gateway_class(job.channel, kind)
    if gateway_cls is None:
        raise DeliveryError(
            f"no {job.channel} gateway of type {kind!r}", permanent=True, reason="no_gateway"
        )
    return provider, gateway_cls


def _message(job: Job, attempt: Attempt) -> Message:
    # SMS vendors report delivery to this attempt's receipt URL (when FUSION_PUBLIC_URL is set).
    payload = payload_with_receipt_url(job=job, attempt=attempt, payload=_payload_for_send(job))
    return Message(
        job_id=str(job.uuid),
        channel=job.channel,
        payload=payload,
        idempotency_key=f"{job.uuid}",
        attempt=job.attempts_made,
        client_id=job.client_id,
    )


def _previous_provider_failed(job: Job) -> int | None:
    if job.attempts_made <= 1:
        return None
    last = job.attempts.exclude(number=job.attempts_made).order_by("-number").first()
    return last.provider_id if last and last.outcome == Attempt.Outcome.FAILED else None


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
    attempt.save(update_fields=list(fields))


def _job_succeed(job: Job, attempt: Attempt, token, outcome: Outcome, started: Event):
    result = {"provider_message_id": outcome.provider_message_id, "delivered": outcome.delivered}
    result.update({"response": outcome.response} if outcome.response else {})
    with transaction.atomic():
        _attempt_close(
            attempt,
            outcome=Attempt.Outcome.SUCCEEDED,
            connected_at=timezone.now(),
            provider_message_id=outcome.provider_message_id[:255],
            request=outcome.request,
            response=outcome.response,
        )
        return _job_end(
            job, token, Job.Status.SUCCEEDED, started, result=result, last_error="", reason=""
        )


def _job_fail(job: Job, attempt: Attempt, token, error: DeliveryError, started: Event):
    with transaction.atomic():
        _attempt_close(
            attempt,
            outcome=Attempt.Outcome.FAILED,
            error=str(error)[:2000],
            reason=error.reason,
            permanent=error.permanent,
            response=error.response,
        )
        if not error.permanent and job.attempts_made < job.attempts_allowed:
            return _job_retry_later(job, token, error, started)
        return _job_end(
            job,
            token,
            Job.Status.FAILED,
            started,
            last_error=str(error)[:2000],
            reason=error.reason,
        )


def _job_retry_later(job: Job, token, error: DeliveryError, started: Event) -> str | None:
    delay = retry_delay(attempt=job.attempts_made, hook=job.origin == "hook")
    changed = Job.objects.filter(pk=job.pk, lease_token=token, status=Job.Status.RUNNING).update(
        status=Job.Status.RETRYING, run_at=timezone.now() + delay, lease_token=None,
        lease_expires_at=None, last_error=str(error)[:2000], reason=error.reason,
    )  # fmt: skip
    if not changed:
        Event.objects.bulk_create([started, Event(job=job, kind="lease_lost")])
        return None
    retrying = {"reason": error.reason, "delay_seconds": round(delay.total_seconds(), 1)}
    Event.objects.bulk_create([started, Event(job=job, kind="retrying", data=retrying)])
    return Job.Status.RETRYING


def _job_end(job: Job, token, status: str, started: Event, **fields) -> str | None:
    """running → a final state, only for the current lease holder; then events and hooks.
    Runs inside the caller's transaction, with the attempt's end."""
    now = timezone.now()
    changed = Job.objects.filter(pk=job.pk, lease_token=token, status=Job.Status.RUNNING).update(
        status=status, finished_at=now, lease_token=None, lease_expires_at=None, **fields
    )
    if not changed:
        Event.objects.bulk_create([started, Event(job=job, kind="lease_lost")])
        return None
    final = Event(job=job, kind=status, data={"reason": fields.get("reason", "")})
    Event.objects.bulk_create([started, final])
    for name, value in {"status": status, "finished_at": now, **fields}.items():
        setattr(job, name, value)
    job_final_effects(job=job)
    return status


def job_final_effects(*, job: Job) -> None:
    """What every final state triggers, inside its transaction: callbacks, then the signal.
    ``job`` must carry its final fields (status, result or error)."""
    from apps.delivery.services.hooks import hooks_schedule

    hooks_schedule(job=job)
    transaction.on_commit(lambda: job_finished.send(sender=Job, job=job))


def job_finished_announce(*, job_id: int) -> None:
    """Send the job_finished signal again for a job whose outcome changed after its end
    (a delivery receipt saying it was not delivered)."""
    job_finished.send(sender=Job, job=Job.objects.get(pk=job_id))
