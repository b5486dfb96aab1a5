"""Services of the Callbacks face: the only code that writes call tasks and schedulers."""

from apps.callbacks.services.outcome import call_task_try_end
from apps.callbacks.services.pump import callbacks_pump, scheduler_pump
from apps.callbacks.services.tasks import call_task_delete, call_tasks_create

__all__ = [
    "call_task_delete",
    "call_task_try_end",
    "call_tasks_create",
    "callbacks_pump",
    "scheduler_pump",
]
