"""Celery tasks of campaigns: thin wrappers around one service each."""

from celery import shared_task

from apps.campaigns.services import campaigns_pump


@shared_task(name="system.campaigns_pump", ignore_result=True)
def campaigns_pump_task() -> int:
    """Beat runs this every 5 s on the system queue: due schedules, then every pump."""
    return campaigns_pump()
