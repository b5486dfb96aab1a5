"""Engine signals → call tasks. The engine never imports this app."""

import logging

from django.dispatch import receiver

from apps.delivery.models import Job
from apps.delivery.signals import job_finished

logger = logging.getLogger(__name__)


@receiver(job_finished, dispatch_uid="callbacks.try_finished")
def call_try_finished(sender, job: Job, **kwargs) -> None:
    """A callback call's job ended: record the try, then let the scheduler start the next."""
    if job.origin != "callbacks" or job.channel != "voice":
        return
    from apps.callbacks.services.outcome import call_task_try_end
    from apps.callbacks.services.pump import scheduler_pump

    task = call_task_try_end(job=job)
    if task is None:
        return
    try:  # the try's end is committed; a failing pump is retried by beat within a second
        scheduler_pump(scheduler_id=task.scheduler_id, skip_locked=True)
    except Exception:
        logger.exception("task scheduler %s: pump after a call failed", task.scheduler_id)
