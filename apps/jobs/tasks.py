"""Celery tasks of the Queue face: thin wrappers around one service each."""

from celery import shared_task

from apps.jobs.services import idempotent_requests_prune


@shared_task(name="system.idempotent_requests_prune", ignore_result=True)
def idempotent_requests_prune_task() -> int:
    """Beat runs this hourly on the system queue: forget old Idempotency-Key records."""
    return idempotent_requests_prune()
