"""Engine signals → call tasks. The engine never imports this app."""

from django.dispatch import receiver

from apps.delivery.models import Job
from apps.delivery.signals import job_finished


@receiver(job_finished, dispatch_uid="callbacks.try_finished")
def call_try_finished(sender, job: Job, **kwargs) -> None:
    """A callback call's job ended: record the try, then let the scheduler start the next."""
    if job.origin != "callbacks" or job.channel != "voice":
        return
    from apps.callbacks.services.outcome import call_task_try_end
    from apps.callbacks.services.pump import scheduler_pump

    task = call_task_try_end(job=job)
    if task is not None:
        scheduler_pump(scheduler_id=task.scheduler_id, skip_locked=True)
