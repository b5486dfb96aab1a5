"""Making jobs for the benchmarks: through the engine (``jobs_create``) or raw (COPY)."""

import time
import uuid
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

SMS_PAYLOAD = {"to": "+919876543210", "text": "hi"}
OTP_PAYLOAD = {"to": "+919876543210", "text": "Your code is 123456", "otp": "123456"}


def sms_specs(count: int, *, priority: int = 1, run_at=None, log_tag: str = "", payload=None):
    """``count`` SMS JobSpecs; ``run_at`` is None (now) or a function of the index."""
    from apps.delivery.services.jobs import JobSpec

    return [
        JobSpec(
            channel="sms",
            payload=payload or SMS_PAYLOAD,
            priority=priority,
            run_at=run_at(i) if run_at else None,
            log_tag=log_tag,
        )
        for i in range(count)
    ]


def jobs_create_chunked(*, client_id: int, specs, chunk: int = 2_000, atomic: bool = True) -> float:
    """Store ``specs`` with the engine's ``jobs_create`` in chunks; the seconds it took.

    ``atomic``: all chunks in one transaction (one commit, one dispatcher kick after it), so
    a drain starts with every job stored; otherwise one transaction per chunk, as the API does.
    """
    from apps.delivery.services.jobs import jobs_create

    started = time.perf_counter()
    if atomic:
        with transaction.atomic():
            for start in range(0, len(specs), chunk):
                jobs_create(client_id=client_id, specs=specs[start : start + chunk])
    else:
        for start in range(0, len(specs), chunk):
            jobs_create(client_id=client_id, specs=specs[start : start + chunk])
    return time.perf_counter() - started


def _copy_template(client_id: int, now: datetime, log_tag: str):
    """Column names and the values of one stored SMS job, from the model's own fields."""
    from apps.delivery.models import Job

    job = Job(
        client_id=client_id,
        channel="sms",
        payload=SMS_PAYLOAD,
        priority=1,
        run_at=now,
        log_tag=log_tag,
        created_at=now,
    )
    fields = [f for f in Job._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    values = [f.get_db_prep_save(getattr(job, f.attname), connection) for f in fields]
    return columns, values


def jobs_copy(*, client_id: int, rows, log_tag: str = "") -> tuple[int, float]:
    """COPY jobs in; ``rows`` yields (priority, run_at). Returns (count, seconds).

    The raw baseline of storing: no events, no kick, one statement.
    """
    now = timezone.now()
    columns, template = _copy_template(client_id, now, log_tag)
    at = {name: columns.index(name) for name in ("uuid", "priority", "run_at")}
    count = 0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        sql = f"COPY {_job_table()} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            row = list(template)
            for priority, run_at in rows:
                row[at["uuid"]] = uuid.uuid4()
                row[at["priority"]] = priority
                row[at["run_at"]] = run_at
                copy.write_row(row)
                count += 1
    return count, time.perf_counter() - started


def _job_table() -> str:
    from apps.delivery.models import Job

    return Job._meta.db_table


def analyze_jobs() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {_job_table()}")


class JobsFailing(RuntimeError):
    """Sandbox jobs should never fail: the engine (or the tree it runs) is broken."""


def failures_check() -> None:
    """Raise JobsFailing, with the first failure's reason, as soon as a job has failed."""
    from apps.delivery.models import Job

    failed = Job.objects.filter(status=Job.Status.FAILED)
    first = failed.order_by("id").values("reason", "last_error").first()
    if first:
        raise JobsFailing(
            f"{failed.count()} sandbox jobs failed; first: {first['reason']}: "
            f"{first['last_error'][:300]}"
        )


def engine_smoke(client_id: int) -> str | None:
    """Run one sandbox job in this process; None when it succeeds, else why it did not."""
    from apps.delivery.models import Job
    from apps.delivery.services.execute import job_execute
    from apps.delivery.services.jobs import jobs_create

    job = jobs_create(client_id=client_id, specs=sms_specs(1, log_tag="bench-smoke"))[0]
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)
    job_execute(job_id=job.pk)
    job.refresh_from_db()
    if job.status == Job.Status.SUCCEEDED:
        return None
    return f"a sandbox job ended {job.status}: {job.reason}: {job.last_error[:300]}"
