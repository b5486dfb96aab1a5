"""Services of the Callbacks face: the only code that writes call tasks and schedulers."""

from apps.callbacks.services.outcome import call_task_try_end, call_tasks_reconcile
from apps.callbacks.services.pump import callbacks_pump, scheduler_pump
from apps.callbacks.services.tasks import (
    call_task_delete,
    call_tasks_create,
    task_scheduler_delete,
)

__all__ = [
    "call_task_delete",
    "call_task_try_end",
    "call_tasks_create",
    "call_tasks_reconcile",
    "callbacks_pump",
    "scheduler_pump",
    "task_scheduler_delete",
]
