"""Running jobs: take their leases, choose providers, call the gateways, record the outcomes.

A Celery message carries a few job ids of one priority; they run as one batch so that the
database work is per batch, not per job: one UPDATE takes every lease, one SELECT loads the
jobs, one INSERT opens their attempts, and one transaction records the ends (attempts, jobs
and events, each a single statement; see ``finish.py``). Gateways with a bulk path (the
sandbox) deliver the batch in one call too.

The lease (a token plus an expiry) makes the end exactly-once: only the holder of the current
token may finish a job, so a worker whose lease was rescued by the sweeper cannot overwrite
the outcome of the retry. A batch that runs long (slow vendors) records what has finished
every FUSION_EXECUTE_FLUSH_SECONDS and extends the leases of the jobs still to run.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from apps.core.bulk import rows_insert, rows_update
from apps.delivery.gateways.base import DeliveryError, Message
from apps.delivery.gateways.registry import gateway_class
from apps.delivery.models import Attempt, Job
from apps.delivery.services.finish import JobRun, runs_finish
from apps.delivery.services.receipts import payload_with_receipt_url
from apps.delivery.services.throttle import runs_throttle
from apps.delivery.signals import job_pre_send
from apps.providers.selectors import provider_choose, providers_active

logger = logging.getLogger(__name__)


def jobs_lease_take(*, job_ids: list[int], token: uuid.UUID) -> list[Job]:
    """queued → running under one lease token; the jobs taken, in ``job_ids`` order.

    Jobs someone else holds, or that were cancelled meanwhile, are simply not taken.
    """
    now = timezone.now()
    taken = Job.objects.filter(pk__in=job_ids, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        lease_token=token,
        lease_expires_at=now + timedelta(seconds=settings.FUSION_LEASE_SECONDS),
        started_at=now,
        attempts_made=F("attempts_made") + 1,
    )
    if not taken:
        return []
    jobs = Job.objects.select_related("client").filter(pk__in=job_ids, lease_token=token)
    by_id = {job.pk: job for job in jobs}
    return [by_id[job_id] for job_id in job_ids if job_id in by_id]


def job_execute(*, job_id: int) -> str | None:
    """Run one try of one job; its new status (None when it was not ours to run)."""
    return jobs_execute(job_ids=[job_id]).get(job_id)


def jobs_execute(*, job_ids: list[int]) -> dict[int, str | None]:
    """Run one try of each job; {job id: new status, or None when it was not ours to run}."""
    token = uuid.uuid4()
    statuses: dict[int, str | None] = dict.fromkeys(job_ids)
    providers: dict[int, list] = {}  # each client's active providers, read once per batch
    runs = [_run_prepare(job, providers) for job in jobs_lease_take(job_ids=job_ids, token=token)]
    runs, deferred = runs_throttle(runs=runs, token=token)  # over a provider's rate: wait
    statuses.update(dict.fromkeys(deferred, Job.Status.SCHEDULED))
    _runs_pre_send(runs)
    _attempts_open(runs)
    recorded = sent = 0
    flush_at = time.monotonic() + settings.FUSION_EXECUTE_FLUSH_SECONDS
    for group in _send_groups(runs):
        _group_send(group)
        sent += len(group)
        if sent < len(runs) and time.monotonic() >= flush_at:  # a slow batch: record, renew
            waiting = [run.job.pk for run in runs[sent:]]
            statuses.update(runs_finish(runs=runs[recorded:sent], token=token, renew_ids=waiting))
            recorded, flush_at = sent, time.monotonic() + settings.FUSION_EXECUTE_FLUSH_SECONDS
    statuses.update(runs_finish(runs=runs[recorded:], token=token))
    return statuses


def _run_prepare(job: Job, providers: dict[int, list]) -> JobRun:
    """The provider and gateway of this try."""
    run = JobRun(job=job)
    _run_step(run, "choosing its route", lambda: _run_route(run, providers))
    return run


def _run_route(run: JobRun, providers: dict[int, list]) -> None:
    job = run.job
    run.provider = _provider_for(job, providers)
    kind = run.provider.type if run.provider else "webhook"
    run.gateway_cls = gateway_class(job.channel, kind)
    if run.gateway_cls is None:
        raise DeliveryError(
            f"no {job.channel} gateway of type {kind!r}", permanent=True, reason="no_gateway"
        )


def _runs_pre_send(runs: list[JobRun]) -> None:
    """The faces' checks and bookkeeping of a try that is really going out (after the rate
    limits, so a held try counts nowhere); their refusal wins over a routing error."""
    for run in runs:
        _run_step(run, "before sending", lambda run=run: job_pre_send.send(sender=Job, job=run.job))


def _run_step(run: JobRun, doing: str, step) -> None:
    """Run one step of a try's preparation; its DeliveryError becomes the run's error, and an
    unexpected exception (a bad provider row, a face's receiver failing) a transient one, so
    one job cannot take the batch down with it."""
    try:
        step()
    except DeliveryError as error:
        run.error = error
    except Exception as exc:
        logger.exception("job %s: unexpected error %s", run.job.uuid, doing)
        run.error = _internal_error(exc)


def _internal_error(exc: Exception) -> DeliveryError:
    """A bug or an unexpected library error: transient, so the job is retried, never lost."""
    return DeliveryError(f"internal error: {exc}", permanent=False, reason="internal_error")


def _attempts_open(runs: list[JobRun]) -> None:
    """This try's row for every job: new rows inserted together, rows a face reserved (the
    Comms face answers a spool id before any worker runs the job) read and updated together."""
    reserved = _attempts_reserved(runs)
    for run in runs:
        job = run.job
        gateway = run.gateway_cls.__name__ if run.gateway_cls and run.error is None else ""
        fields = {"provider": run.provider if gateway else None, "gateway": gateway,
                  "outcome": Attempt.Outcome.STARTED, "started_at": job.started_at}  # fmt: skip
        run.attempt = reserved.get(job.pk) or Attempt(job=job, number=job.attempts_made)
        for name, value in fields.items():
            setattr(run.attempt, name, value)
    new = [run.attempt for run in runs if run.attempt.pk is None]
    rows_insert(Attempt, new, key=("job_id", "number"))  # COPY: no INSERT SQL to compile
    rows_update(Attempt, list(reserved.values()), ["provider", "gateway", "outcome", "started_at"])


def _attempts_reserved(runs: list[JobRun]) -> dict[int, Attempt]:
    """{job id: its reserved row for this try}, in one query."""
    wanted = {run.job.pk: run.job.attempts_made for run in runs
              if run.job.meta.get("reserved_attempt") == run.job.attempts_made}  # fmt: skip
    if not wanted:
        return {}
    rows = Attempt.objects.filter(job_id__in=wanted)
    return {a.job_id: a for a in rows if a.number == wanted[a.job_id]}


def _send_groups(runs: list[JobRun]):
    """Runs in sending order, grouped where one gateway call can take several: consecutive
    runs of the same provider whose gateway has a bulk path; everything else alone."""
    group: list[JobRun] = []
    for run in runs:
        bulk = run.error is None and run.gateway_cls.bulk_for(run.provider)
        if group and not (bulk and _same_route(group[-1], run)):
            yield group
            group = []
        group.append(run)
        if not bulk:
            yield group
            group = []
    if group:
        yield group


def _same_route(first: JobRun, second: JobRun) -> bool:
    return (
        first.error is None
        and first.gateway_cls is second.gateway_cls
        and first.provider == second.provider
    )


def _group_send(group: list[JobRun]) -> None:
    """Deliver a group (runs that already failed to route are left as they are)."""
    ready = [run for run in group if run.error is None]
    if not ready:
        return
    gateway = ready[0].gateway_cls(ready[0].provider)
    try:
        results = gateway.send_many([_message(run) for run in ready])
    except Exception as exc:  # a bug or an unexpected vendor library error: retry, never lose
        logger.exception("jobs %s: unexpected error", [str(run.job.uuid) for run in ready])
        results = [_internal_error(exc)] * len(ready)
    for run, result in zip(ready, results, strict=True):
        if isinstance(result, DeliveryError):
            run.error = result
        else:
            run.outcome = result


def _message(run: JobRun) -> Message:
    job = run.job
    # SMS vendors report delivery to this attempt's receipt URL (when FUSION_PUBLIC_URL is set).
    payload = payload_with_receipt_url(job=job, attempt=run.attempt, payload=_payload_for_send(job))
    return Message(
        job_id=str(job.uuid),
        channel=job.channel,
        payload=payload,
        idempotency_key=f"{job.uuid}",
        attempt=job.attempts_made,
        attempt_id=run.attempt.pk,
        client_id=job.client_id,
    )


def _previous_provider_failed(job: Job) -> int | None:
    if job.attempts_made <= 1:
        return None
    last = job.attempts.exclude(number=job.attempts_made).order_by("-number").first()
    return last.provider_id if last and last.outcome == Attempt.Outcome.FAILED else None


def _provider_for(job: Job, providers: dict[int, list]):
    if job.origin == "hook":  # callbacks go to the client's own URL, never via a provider
        return None
    if job.client_id not in providers:
        providers[job.client_id] = providers_active(job.client_id)
    pinned = job.provider_id or (job.payload.get("config") or {}).get("provider")
    provider = provider_choose(
        client_id=job.client_id,
        channel=job.channel,
        pinned=pinned,
        avoid_id=_previous_provider_failed(job),
        active=providers[job.client_id],
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
