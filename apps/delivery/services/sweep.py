"""Rescue of orphaned work: expired leases (a worker died) and queued jobs the broker lost.

- running with an expired lease → back to ``retrying`` due now (the lost try is recorded as
  failed with reason ``worker_lost``); after FUSION_MAX_RESCUES rescues it fails instead,
  so a job that kills its worker cannot loop forever.
- queued for longer than FUSION_QUEUED_STALE_SECONDS (its message was lost, e.g. Redis
  restarted) → published again. A duplicate message is harmless: taking the lease is a
  conditional update, so only one copy runs.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.delivery.models import Attempt, Job
from apps.delivery.services.dispatch import dispatch_kick, jobs_publish
from apps.delivery.services.events import event_record
from apps.delivery.services.finish import job_final_effects


def leases_rescue() -> int:
    """Return jobs whose worker died to the queue; returns how many."""
    now = timezone.now()
    expired = Job.objects.filter(status=Job.Status.RUNNING, lease_expires_at__lt=now)
    rescued = 0
    for job in expired.only("id", "meta", "attempts_made")[:1000]:
        rescued += _job_rescue(job, now)
    if rescued:
        transaction.on_commit(dispatch_kick)
    return rescued


def _job_rescue(job: Job, now) -> int:
    rescues = int(job.meta.get("rescues", 0)) + 1
    give_up = rescues > settings.FUSION_MAX_RESCUES
    with transaction.atomic():
        changed = Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, lease_expires_at__lt=now
        ).update(
            status=Job.Status.FAILED if give_up else Job.Status.RETRYING,
            run_at=now,
            finished_at=now if give_up else None,
            lease_token=None,
            lease_expires_at=None,
            reason="worker_lost",
            last_error="the worker running this job stopped before finishing it",
            meta={**job.meta, "rescues": rescues},
        )
        if changed:
            Attempt.objects.filter(job_id=job.pk, outcome=Attempt.Outcome.STARTED).update(
                outcome=Attempt.Outcome.FAILED, reason="worker_lost", ended_at=now, permanent=False
            )
            event_record(job_id=job.pk, kind="rescued", rescues=rescues, gave_up=give_up)
            if give_up:
                job_final_effects(job=Job.objects.get(pk=job.pk))
    return changed


def queued_republish() -> int:
    """Publish again the queued jobs whose message seems lost; returns how many."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.FUSION_QUEUED_STALE_SECONDS)
    total = 0
    for priority in (2, 1, 0):
        ids = list(
            Job.objects.filter(
                status=Job.Status.QUEUED, priority=priority, queued_at__lt=stale
            ).values_list("id", flat=True)[:5000]
        )
        if ids:
            Job.objects.filter(id__in=ids, status=Job.Status.QUEUED).update(queued_at=now)
            jobs_publish(priority=priority, job_ids=ids)
            total += len(ids)
    return total
