"""Celery tasks of the engine: thin wrappers that call one service each."""

from celery import shared_task

from apps.delivery.services.dispatch import dispatch_due, dispatch_kick_clear
from apps.delivery.services.execute import jobs_execute
from apps.delivery.services.media import merged_pdfs_prune
from apps.delivery.services.sweep import leases_rescue, queued_republish


@shared_task(name="system.dispatch_due", ignore_result=True)
def dispatch_due_task() -> int:
    """Beat runs this every second (and commits kick it): claim due jobs, publish them."""
    dispatch_kick_clear()
    return dispatch_due()


@shared_task(name="delivery.execute_batch", ignore_result=True)
def job_execute_batch_task(job_ids: list[int]) -> None:
    """Run a few jobs of one priority as one batch (one lease, bulk writes)."""
    jobs_execute(job_ids=job_ids)


@shared_task(name="system.leases_rescue", ignore_result=True)
def leases_rescue_task() -> int:
    """Beat runs this every FUSION_RESCUE_EVERY_SECONDS (10 s): retry the running jobs whose
    lease expired (their worker died); fail them after FUSION_MAX_RESCUES rescues.
    """
    return leases_rescue()


@shared_task(name="system.queued_republish", ignore_result=True)
def queued_republish_task() -> int:
    """Beat runs this every FUSION_REPUBLISH_EVERY_SECONDS (30 s): publish again the queued
    jobs whose broker message seems lost.
    """
    return queued_republish()


@shared_task(name="system.fax_merged_prune", ignore_result=True)
def fax_merged_prune_task() -> int:
    """Beat runs this hourly on the system queue: delete joined fax PDFs whose signed URLs
    have all expired."""
    return merged_pdfs_prune()
