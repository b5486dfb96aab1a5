"""Creating and deleting call tasks, and deleting schedulers."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from apps.callbacks.models import CallTask, TaskScheduler
from apps.core.exceptions import Conflict

logger = logging.getLogger(__name__)

TASK_FIELDS = (
    "name", "a_number", "b_number", "extension_id", "try_count", "try_again_pause",
    "url_before", "url_before_again", "url_success", "url_after", "callback_params",
)  # fmt: skip


def call_tasks_create(*, scheduler: TaskScheduler, tasks: list[dict]) -> list[CallTask]:
    """Store validated tasks (all or nothing); the pump starts the due ones after commit."""
    now = timezone.now()
    rows = []
    for data in tasks:
        start: datetime = data.get("start_time_utc") or now
        fields = {name: data[name] for name in TASK_FIELDS if name in data}
        rows.append(
            CallTask(
                client_id=scheduler.client_id,
                scheduler=scheduler,
                start_time_utc=start,
                next_run_at=start,
                **fields,
            )
        )
    with transaction.atomic():
        created = CallTask.objects.bulk_create(rows)
        transaction.on_commit(lambda: _pump_soon(scheduler.id))
    return created


def _pump_soon(scheduler_id: int) -> None:
    """Start the new tasks now rather than at the next beat. The tasks are already stored:
    a pump error must not turn the creation into an error (a client would post them again);
    it is logged, and beat's pump tries again within a second."""
    from apps.callbacks.services.pump import scheduler_pump

    try:
        scheduler_pump(scheduler_id=scheduler_id)
    except Exception:
        logger.exception("task scheduler %s: pump after create failed", scheduler_id)


def call_task_delete(*, task: CallTask) -> None:
    """Delete a task that has not been executed yet; 409 otherwise."""
    with transaction.atomic():
        deleted, _ = CallTask.objects.filter(
            pk=task.pk, tries_made=0, status__in=CallTask.WAITING
        ).delete()
    if not deleted:
        raise Conflict("Only a task that has not been executed yet can be deleted.")


def task_scheduler_delete(*, scheduler: TaskScheduler) -> None:
    """Delete a scheduler with its tasks and call history; 409 while one of its calls runs,
    whose outcome and ``url_after`` event would otherwise be lost."""
    with transaction.atomic():
        locked = TaskScheduler.objects.select_for_update().filter(pk=scheduler.pk).first()
        if locked is None:
            return
        if CallTask.objects.filter(scheduler=locked, status=CallTask.Status.EXECUTED).exists():
            raise Conflict(
                "A call of this scheduler is in progress; set active to false and delete it "
                "once its executed tasks have finished."
            )
        locked.delete()
