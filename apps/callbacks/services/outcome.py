"""A try's end: record the call, then the next try (``delayed``) or the task's finish."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from apps.callbacks.models import CallRecord, CallTask
from apps.callbacks.services.events import event_specs
from apps.delivery.models import Attempt, Job
from apps.delivery.services.jobs import jobs_create

Status = CallTask.Status

RECONCILE_AFTER = timedelta(seconds=15)  # far longer than a commit → signal → receiver hop


def _cdr_of(job: Job) -> dict:
    """The simulator's (or any voice gateway's) cdr: the result, or the last attempt's error."""
    if job.status == Job.Status.SUCCEEDED:
        return (job.result or {}).get("response") or {}
    attempt = Attempt.objects.filter(job_id=job.id).order_by("-number").first()
    return (attempt.response if attempt else None) or {}


def _when(value) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def call_record_create(*, task: CallTask, job: Job) -> CallRecord:
    """The try's call record, from the gateway's cdr (legs, times, causes, duration)."""
    cdr = _cdr_of(job)
    answered = job.status == Job.Status.SUCCEEDED
    fields = {
        "client_id": task.client_id,
        "task": task,
        "scheduler_id": task.scheduler_id,
        "try_number": task.tries_made,
        "a_number": cdr.get("a_number") or task.a_number,
        "b_number": task.b_number,
        "legs": cdr.get("legs") or [],
        "started_at": _when(cdr.get("started_at")) or job.started_at,
        "answered_at": _when(cdr.get("answered_at")),
        "ended_at": _when(cdr.get("ended_at")) or job.finished_at,
        "answered": answered,
        "hangup_cause": cdr.get("hangup_cause") or job.reason or "",
        "duration": float(cdr.get("duration") or 0),
    }
    if cdr.get("call_uuid"):
        fields["uuid"] = cdr["call_uuid"]
    return CallRecord.objects.create(**fields)


def _finish(task: CallTask, result: str, comment: str, record: CallRecord | None) -> list:
    task.status, task.finish_result, task.finish_comment = Status.FINISHED, result, comment
    events = ["url_success", "url_after"] if result == CallTask.Result.SUCCESS else ["url_after"]
    return event_specs(task, events, record, parent_id=task.job_id)


def _failure_comment(job: Job) -> str:
    if job.status == Job.Status.CANCELLED:
        return "cancelled"
    return f"{job.reason}: {job.last_error}"[:2000] if job.reason else job.last_error[:2000]


def call_task_try_end(*, job: Job) -> CallTask | None:
    """Record the outcome of the task's current try (``job``); None if it is not current."""
    with transaction.atomic():
        task = CallTask.objects.select_for_update().filter(pk=job.meta.get("call_task_id")).first()
        if task is None or task.job_id != job.id or task.status != Status.EXECUTED:
            return None
        record = (
            None if job.status == Job.Status.CANCELLED else call_record_create(task=task, job=job)
        )
        task.cdr = str(record.uuid) if record else task.cdr
        if job.status == Job.Status.SUCCEEDED:
            specs = _finish(task, CallTask.Result.SUCCESS, "A and B connected", record)
        elif task.tries_made < task.try_count and job.status != Job.Status.CANCELLED:
            task.status = Status.DELAYED
            task.finish_comment = _failure_comment(job)
            task.next_run_at = timezone.now() + timedelta(seconds=task.try_again_pause)
            specs = []
        else:
            specs = _finish(task, CallTask.Result.FAILED, _failure_comment(job), record)
        task.save()
        if specs:
            jobs_create(client_id=task.client_id, specs=specs)
    return task


def call_tasks_reconcile(*, now: datetime, limit: int = 100) -> int:
    """End the tries whose voice job has ended but whose end was never recorded: the
    ``job_finished`` signal is sent after the job's commit, so a worker dying in between would
    leave the task ``executed`` for good, holding one of its scheduler's concurrency slots.
    Jobs younger than ``RECONCILE_AFTER`` are left to the signal."""
    stuck = CallTask.objects.filter(
        status=Status.EXECUTED,
        job__status__in=Job.FINISHED,
        job__finished_at__lt=now - RECONCILE_AFTER,
    ).select_related("job")
    ended = 0
    for task in stuck[:limit]:
        ended += call_task_try_end(job=task.job) is not None
    return ended
