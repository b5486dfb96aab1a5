"""Celery tasks of callbacks: thin wrappers around one service each."""

from celery import shared_task

from apps.callbacks.services import callbacks_pump


@shared_task(name="system.callbacks_pump", ignore_result=True)
def callbacks_pump_task() -> int:
    """Beat runs this every second on the system queue: start due call tasks."""
    return callbacks_pump()
