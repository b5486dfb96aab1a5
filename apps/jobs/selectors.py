"""Reads of the Queue face, always scoped to what the caller may see."""

import uuid

from django.db.models import QuerySet

from apps.accounts.tenancy import queryset_for_user
from apps.delivery.models import Job
from apps.jobs.models import KeywordMapping, WhatsAppConsent


def queue_jobs(*, user) -> QuerySet[Job]:
    """Jobs made through this face that ``user`` may see (other faces' jobs are theirs)."""
    return queryset_for_user(Job.objects.filter(origin="queue"), user)


def _uuid_of(job_id) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(job_id).strip())
    except ValueError:
        return None


def queue_job_find(*, user, job_id) -> Job | None:
    """The job, or None when it is missing, malformed or another client's (all alike)."""
    found = queue_jobs_find(user=user, job_ids=[job_id])
    return found.get(job_id)


def queue_jobs_find(*, user, job_ids: list) -> dict:
    """``{requested id: Job}`` for the ids that exist and are visible; others are left out."""
    wanted = {job_id: _uuid_of(job_id) for job_id in job_ids}
    uuids = {value for value in wanted.values() if value is not None}
    jobs = {job.uuid: job for job in queue_jobs(user=user).filter(uuid__in=uuids)}
    return {job_id: jobs[value] for job_id, value in wanted.items() if value in jobs}


def queue_job_detail(*, user, job_id) -> Job | None:
    """The job with its attempts and their providers, for jobInfo."""
    value = _uuid_of(job_id)
    if value is None:
        return None
    jobs = queue_jobs(user=user).prefetch_related("attempts__provider")
    return jobs.filter(uuid=value).first()


def mapping_list(*, user) -> QuerySet[KeywordMapping]:
    """The keyword dictionary entries ``user`` may see, by keyword."""
    return queryset_for_user(KeywordMapping.objects.all(), user).order_by("keyword", "id")


def mapping_find(*, user, keyword: str) -> KeywordMapping | None:
    """The visible mapping of ``keyword`` (exact), or None; the first by id if several match."""
    return mapping_list(user=user).filter(keyword=keyword).first()


def consent_opted_out(*, client_id: int, cache_key: str) -> bool:
    """True when the key's latest consent of this client is an opt-out."""
    return WhatsAppConsent.objects.filter(
        client_id=client_id, cache_key=cache_key, state=WhatsAppConsent.State.OPTED_OUT
    ).exists()
