"""Creating and managing jobs: create (with window consolidation), cancel, reschedule, retry.

Every change is a conditional update on the expected status, so it is safe against the
dispatcher and workers running at the same time.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from apps.core.bulk import model_build, rows_insert
from apps.delivery.models import Attempt, Job
from apps.delivery.services.dispatch import dispatch_kick
from apps.delivery.services.events import event_record, events_record_many

CANCELLABLE = (Job.Status.SCHEDULED, Job.Status.QUEUED, Job.Status.RETRYING)


@dataclass
class JobSpec:
    """What a face asks the engine to do; ``run_at`` None means now."""

    channel: str
    payload: dict
    priority: int = 1
    run_at: datetime | None = None
    attempts_allowed: int = 1
    log_tag: str = ""
    hooks: dict = field(default_factory=dict)
    origin: str = "queue"
    meta: dict = field(default_factory=dict)
    idempotency_key: str | None = None
    window_key: str | None = None
    override_window: bool = False
    provider_id: int | None = None
    parent_id: int | None = None


def _job_from_spec(client_id: int, spec: JobSpec, now: datetime) -> Job:
    return model_build(
        Job,
        client_id=client_id,
        channel=spec.channel,
        payload=spec.payload,
        priority=spec.priority,
        run_at=spec.run_at or now,
        attempts_allowed=spec.attempts_allowed,
        log_tag=spec.log_tag,
        hooks=spec.hooks,
        origin=spec.origin,
        meta=spec.meta,
        idempotency_key=spec.idempotency_key,
        window_key=spec.window_key,
        provider_id=spec.provider_id,
        parent_id=spec.parent_id,
    )


def jobs_create(*, client_id: int, specs: list[JobSpec]) -> list[Job]:
    """Store jobs (all or nothing) and wake the dispatcher when the transaction commits.

    A spec with a ``window_key`` consolidates into the open (still scheduled) job of that
    window instead of creating one; the answer then holds that job.
    """
    now = timezone.now()
    with transaction.atomic():
        plain = [_job_from_spec(client_id, s, now) for s in specs if not s.window_key]
        rows_insert(Job, plain, key="uuid")
        created = iter(plain)
        events_record_many(job_ids=[j.id for j in plain], kind="created")
        jobs = [
            _job_window_join(client_id, spec, now) if spec.window_key else next(created)
            for spec in specs
        ]
        if any(job.run_at <= timezone.now() for job in jobs):  # an override may move to now
            transaction.on_commit(dispatch_kick)
    return jobs


def _job_window_join(client_id: int, spec: JobSpec, now: datetime) -> Job:
    """The open job of the window, consolidated into (or overridden); else a new job."""
    for _ in range(3):  # a concurrent request may open the window between our read and insert
        job = (
            Job.objects.select_for_update()
            .filter(client_id=client_id, window_key=spec.window_key, status=Job.Status.SCHEDULED)
            .filter(started_at__isnull=True)  # dispatched once (then held by a rate): closed
            .filter(channel=spec.channel)  # never consolidate one channel's data into another
            .first()
        )
        if job is not None:
            return _window_consolidate(job, spec)
        try:
            with transaction.atomic():
                job = _job_from_spec(client_id, spec, now)
                job.save()
                event_record(job_id=job.id, kind="created", window_key=spec.window_key)
                return job
        except IntegrityError:
            continue
    raise IntegrityError(f"window {spec.window_key!r} is contended; try again")


def _window_consolidate(job: Job, spec: JobSpec) -> Job:
    job.window_hits = F("window_hits") + 1
    fields = ["window_hits"]
    if spec.override_window:
        job.run_at, job.payload = spec.run_at or timezone.now(), spec.payload
        fields += ["run_at", "payload"]
    job.save(update_fields=fields)
    job.refresh_from_db()
    event_record(
        job_id=job.id,
        kind="overridden" if spec.override_window else "consolidated",
        payload=spec.payload,
        run_at=(spec.run_at or timezone.now()).isoformat(),
    )
    return job


def job_cancel(*, job: Job) -> bool:
    """Cancel a job that has not started running; False when it is running or finished."""
    from apps.delivery.services.finish import job_final_effects

    with transaction.atomic():
        changed = Job.objects.filter(pk=job.pk, status__in=CANCELLABLE).update(
            status=Job.Status.CANCELLED, finished_at=timezone.now()
        )
        if changed:
            event_record(job_id=job.pk, kind="cancelled")
            job_final_effects(job=Job.objects.get(pk=job.pk))
    return bool(changed)


def job_reschedule(
    *, job: Job, run_at: datetime, channel: str | None = None, payload: dict | None = None
) -> bool:
    """Move a job that waits (scheduled or retrying); False otherwise. ``channel``/``payload``
    replace what it will send (a reminder whose text names the time it moves to).

    A queued job is not moved: it has been handed to a worker, and taking it back would
    dispatch it a second time (the engine's invariant: each job is dispatched once per try).
    """
    fields = {"run_at": run_at}
    fields |= {"channel": channel} if channel else {}
    fields |= {"payload": payload} if payload is not None else {}
    changed = Job.objects.filter(pk=job.pk, status__in=Job.WAITING).update(**fields)
    if changed:
        event_record(job_id=job.pk, kind="rescheduled", run_at=run_at.isoformat())
        if run_at <= timezone.now():
            transaction.on_commit(dispatch_kick)
    return bool(changed)


def job_retry(*, job: Job, delay: timedelta = timedelta(minutes=2)) -> bool:
    """Run a failed job again after ``delay``, with one more attempt allowed."""
    changed = Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
        status=Job.Status.RETRYING,
        run_at=timezone.now() + delay,
        attempts_allowed=F("attempts_made") + 1,
        finished_at=None,
    )
    if changed:
        event_record(job_id=job.pk, kind="retry_requested", delay_seconds=delay.total_seconds())
    return bool(changed)


def job_run_now(*, job: Job) -> bool:
    """Make a waiting job due now (admin action)."""
    return job_reschedule(job=job, run_at=timezone.now())


def job_attempt_reserve(*, job: Job) -> Attempt:
    """The row of the job's next attempt, created now so its id can be handed out at once."""
    number = job.attempts_made + 1
    attempt, _ = Attempt.objects.get_or_create(
        job=job, number=number, defaults={"outcome": Attempt.Outcome.QUEUED}
    )
    # Tell the worker to use this row rather than insert one (saves it a query per job).
    Job.objects.filter(pk=job.pk).update(meta={**job.meta, "reserved_attempt": number})
    job.meta = {**job.meta, "reserved_attempt": number}
    return attempt
