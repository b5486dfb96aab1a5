"""Writes of the Queue face: intake (with idempotency), job management, mapping and consent,
and the pruning of old idempotency records.

Jobs themselves are the engine's: creation, cancel, reschedule and retry go through
apps.delivery.services.jobs, which makes every change a conditional update.
"""

import hashlib
import json
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.exceptions import Conflict
from apps.delivery.models import Job
from apps.delivery.services.jobs import JobSpec, job_cancel, job_reschedule, job_retry, jobs_create
from apps.jobs.models import IdempotentRequest, KeywordMapping, WhatsAppConsent


def body_fingerprint(*, endpoint: str, body) -> str:
    """SHA-256 of the endpoint and the body as canonical JSON (key order does not matter)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{endpoint}\n{canonical}".encode()).hexdigest()


def idempotent_replay(*, client_id: int, key: str, body_sha256: str) -> list[str] | None:
    """The job ids an earlier request with this key got; None when the key is new.

    Raises Conflict (409) when the key was used with a different body.
    """
    record = IdempotentRequest.objects.filter(client_id=client_id, key=key).first()
    if record is None:
        return None
    if record.body_sha256 != body_sha256:
        raise Conflict("This Idempotency-Key was already used with a different request body.")
    return record.job_ids


def queue_submit(
    *,
    client_id: int,
    endpoint: str,
    specs: list[JobSpec],
    idempotency_key: str | None = None,
    body_sha256: str = "",
) -> list[str]:
    """Create the jobs of one request (all or nothing); their ids in input order.

    With an idempotency key, the key's row is inserted in the same transaction as the jobs:
    a concurrent twin fails on the unique constraint, rolls back its jobs and answers ours.
    """
    if idempotency_key:
        replay = idempotent_replay(
            client_id=client_id, key=idempotency_key, body_sha256=body_sha256
        )
        if replay is not None:
            return replay
    try:
        return _jobs_create_recorded(client_id, endpoint, specs, idempotency_key, body_sha256)
    except IntegrityError:
        if not idempotency_key:
            raise
        replay = idempotent_replay(
            client_id=client_id, key=idempotency_key, body_sha256=body_sha256
        )
        if replay is None:
            raise
        return replay


def _jobs_create_recorded(client_id, endpoint, specs, key, body_sha256) -> list[str]:
    with transaction.atomic():
        record = None
        if key:  # first, so a concurrent twin blocks here before creating anything
            record = IdempotentRequest.objects.create(
                client_id=client_id, key=key, endpoint=endpoint, body_sha256=body_sha256
            )
        job_ids = [str(job.uuid) for job in jobs_create(client_id=client_id, specs=specs)]
        if record is not None:
            record.job_ids = job_ids
            record.save(update_fields=["job_ids"])
    return job_ids


def idempotent_requests_prune(*, keep_hours: int | None = None, chunk: int = 1000) -> int:
    """Delete idempotency records older than ``keep_hours`` (FUSION_IDEMPOTENCY_KEEP_HOURS);
    how many went. A key used again after that is a new request and creates new jobs.

    Deletes ``chunk`` rows per statement, each its own short transaction, so a large backlog
    never holds one long lock on the table that every keyed POST /queue/ inserts into.
    """
    hours = settings.FUSION_IDEMPOTENCY_KEEP_HOURS if keep_hours is None else keep_hours
    cutoff = timezone.now() - timedelta(hours=hours)
    old = IdempotentRequest.objects.filter(created_at__lt=cutoff).order_by("created_at")
    deleted = 0
    while True:
        # Ids first: DELETE … LIMIT is not portable, and the created_at index finds them.
        ids = list(old.values_list("id", flat=True)[:chunk])
        if not ids:
            return deleted
        deleted += IdempotentRequest.objects.filter(id__in=ids).delete()[0]
        if len(ids) < chunk:
            return deleted


def queue_jobs_cancel(*, requested: list[str], found: dict[str, Job]) -> list[str]:
    """Cancel the jobs that have not started; the requested ids that were not cancelled."""
    refused = []
    for job_id in requested:
        job = found.get(job_id)
        with transaction.atomic():
            cancelled = job is not None and job_cancel(job=job)
        if not cancelled:
            refused.append(job_id)
    return refused


def queue_job_reschedule(*, job: Job, run_at: datetime) -> bool:
    """Move a job that has not been executed yet; a past time means now."""
    with transaction.atomic():
        return job_reschedule(job=job, run_at=max(run_at, timezone.now()))


def queue_jobs_retry(*, requested: list[str], found: dict[str, Job]) -> tuple[list, list]:
    """Run failed jobs again two minutes from now; (retried ids, not retried ids)."""
    retried, refused = [], []
    for job_id in requested:
        job = found.get(job_id)
        with transaction.atomic():
            ok = job is not None and job_retry(job=job)
        (retried if ok else refused).append(job_id)
    return retried, refused


def mappings_upsert(*, client_id: int, entries: list[tuple[str, object]]) -> list[str]:
    """Insert or replace dictionary entries in one transaction; the keywords, deduplicated.

    A keyword given twice keeps its last data, as if the entries were applied in order.
    """
    latest = dict(entries)
    rows = [KeywordMapping(client_id=client_id, keyword=k, data=d) for k, d in latest.items()]
    with transaction.atomic():
        KeywordMapping.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["client", "keyword"],
            update_fields=["data", "updated_at"],
        )
    return list(latest)


def consent_record(*, client_id: int, cache_key: str, state: str, details: dict) -> WhatsAppConsent:
    """Keep the latest WhatsApp consent of a key (with its details and time)."""
    consent, _ = WhatsAppConsent.objects.update_or_create(
        client_id=client_id,
        cache_key=cache_key,
        defaults={"state": state, "details": details},
    )
    return consent
