"""The pump: starts due call tasks within each scheduler's limits.

The database row is the schedule: a task waits as a row with ``next_run_at``. Each pass
(beat every second on the system queue, and right after tasks are created) locks a scheduler
row, then for its due tasks in order: the ASR guard holds → ``delayed_asr``; running tasks at
``concurrent_task_limit`` → ``delayed_concurrent_task``; less than ``interval`` since the
last start → ``delayed_interval``; otherwise the task is ``executed``: one engine voice job
(and its ``url_before``/``url_before_again`` event) is created for the try.
"""

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.callbacks.models import CallRecord, CallTask, TaskScheduler
from apps.callbacks.services.events import event_specs
from apps.callbacks.services.outcome import call_tasks_reconcile
from apps.delivery.services.jobs import JobSpec, jobs_create

logger = logging.getLogger(__name__)
Status = CallTask.Status
BATCH = 500


def _in_hours(scheduler: TaskScheduler, now: datetime) -> bool:
    """True when no calling hours are set or ``now`` falls inside them (scheduler's zone)."""
    start, end = scheduler.hours_start, scheduler.hours_end
    if start is None or end is None:
        return True
    local = now.astimezone(ZoneInfo(scheduler.time_zone or "UTC")).time()
    return start <= local < end if start <= end else (local >= start or local < end)


def _asr_holds(scheduler: TaskScheduler, now: datetime) -> bool:
    """True while an ASR hold runs; starts one when the last N calls' answer share is low."""
    if scheduler.asr_hold_until and now < scheduler.asr_hold_until:
        return True
    if not scheduler.asr_window:
        return False
    calls = CallRecord.objects.filter(scheduler_id=scheduler.id)
    if scheduler.asr_since:
        calls = calls.filter(created_at__gte=scheduler.asr_since)
    answered = list(
        calls.order_by("-id").values_list("answered", flat=True)[: scheduler.asr_window]
    )
    if len(answered) < scheduler.asr_window:
        return False
    if sum(answered) / len(answered) >= scheduler.asr_threshold:
        return False
    scheduler.asr_hold_until = now + timedelta(seconds=scheduler.asr_delay)
    scheduler.asr_since = now  # after the hold, judge only calls made since
    return True


def _interval_passed(scheduler: TaskScheduler, now: datetime) -> bool:
    last = scheduler.last_start_at
    return last is None or (now - last).total_seconds() >= scheduler.interval


def _voice_spec(task: CallTask) -> JobSpec:
    params = task.callback_params or {}
    return JobSpec(
        channel="voice",
        payload={
            "a_number": task.a_number,
            "b_number": task.b_number,
            "extended_a_numbers": list(params.get("extended_a_numbers") or []),
            "caller_id_name": params.get("caller_id_name", ""),
            "caller_id_number": params.get("caller_id_number", ""),
        },
        priority=2,
        origin="callbacks",
        meta={"call_task_id": task.id},
        log_tag="callbacks.call",
    )


def call_task_start(*, task: CallTask, now: datetime) -> bool:
    """Start one try: ``executed``, the voice job, then its before-event (the job's child).

    The status change is conditional, so a task deleted (or changed) since the pump read it
    is skipped (False) instead of failing the whole pass; on PostgreSQL a concurrent DELETE
    waits for this row and then finds it executed (409).
    """
    first = task.tries_made == 0
    claimed = CallTask.objects.filter(pk=task.pk, status__in=CallTask.WAITING).update(
        status=Status.EXECUTED, started_at=now, tries_made=F("tries_made") + 1, updated_at=now
    )
    if not claimed:
        return False
    task.status, task.started_at, task.tries_made = Status.EXECUTED, now, task.tries_made + 1
    [task.job] = jobs_create(client_id=task.client_id, specs=[_voice_spec(task)])
    CallTask.objects.filter(pk=task.pk).update(job=task.job)
    events = event_specs(task, ["url_before" if first else "url_before_again"],
                         parent_id=task.job.id)  # fmt: skip
    if events:
        jobs_create(client_id=task.client_id, specs=events)
    return True


def _blocked_status(scheduler: TaskScheduler, running: int, now: datetime) -> str | None:
    if _asr_holds(scheduler, now):
        return Status.DELAYED_ASR
    if running >= scheduler.concurrent_task_limit:
        return Status.DELAYED_CONCURRENT
    if not _interval_passed(scheduler, now):
        return Status.DELAYED_INTERVAL
    return None


def _pump_locked(scheduler: TaskScheduler, now: datetime) -> int:
    """Start what fits; mark the rest of the due tasks with why they wait."""
    if not scheduler.active or not _in_hours(scheduler, now):
        return 0
    due = CallTask.objects.filter(
        scheduler_id=scheduler.id, status__in=CallTask.WAITING, next_run_at__lte=now
    ).order_by("next_run_at", "id")
    running = CallTask.objects.filter(scheduler_id=scheduler.id, status=Status.EXECUTED).count()
    started = 0
    for task in due[:BATCH]:
        blocked = _blocked_status(scheduler, running, now)
        if blocked:
            due.exclude(status=blocked).update(status=blocked, updated_at=now)
            break
        if call_task_start(task=task, now=now):
            scheduler.last_start_at = now
            running, started = running + 1, started + 1
    return started


def scheduler_pump(*, scheduler_id: int, now: datetime | None = None, skip_locked=False) -> int:
    """One pass over one scheduler (row locked); returns how many tries it started."""
    with transaction.atomic():
        scheduler = (
            TaskScheduler.objects.select_for_update(skip_locked=skip_locked)
            .filter(pk=scheduler_id)
            .first()
        )
        if scheduler is None:
            return 0
        started = _pump_locked(scheduler, now or timezone.now())
        scheduler.save(update_fields=["last_start_at", "asr_hold_until", "asr_since"])
        return started


def callbacks_pump(*, now: datetime | None = None) -> int:
    """Pump every active scheduler with due tasks; one scheduler's error spares the others.
    First end the tries whose end was never recorded, so their slots are free again."""
    now = now or timezone.now()
    try:
        call_tasks_reconcile(now=now)
    except Exception:
        logger.exception("callbacks: reconciling ended calls failed")
    due = CallTask.objects.filter(status__in=CallTask.WAITING, next_run_at__lte=now)
    schedulers = TaskScheduler.objects.filter(active=True, id__in=due.values("scheduler_id"))
    ids = schedulers.values_list("id", flat=True)
    total = 0
    for scheduler_id in sorted(set(ids)):
        try:
            total += scheduler_pump(scheduler_id=scheduler_id, now=now, skip_locked=True)
        except Exception:
            logger.exception("task scheduler %s: pump failed", scheduler_id)
    return total
