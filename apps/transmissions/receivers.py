"""Engine signals → transmission state. The engine never imports this app."""

from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from apps.delivery.models import Job
from apps.delivery.signals import job_finished, job_pre_send
from apps.transmissions.models import Transmission

_FINAL = {
    Job.Status.SUCCEEDED: Transmission.Status.COMPLETED,
    Job.Status.FAILED: Transmission.Status.FAILED,
    Job.Status.CANCELLED: Transmission.Status.PENDING,  # a cancelled schedule: not sent
}


def _of(job: Job):
    return Transmission.objects.filter(job_id=job.id) if job.origin == "comms" else None


@receiver(job_pre_send, dispatch_uid="transmissions.try_started")
def transmission_try_started(sender, job: Job, **kwargs) -> None:
    """Each engine attempt is a try: processing, try_done + 1, last_run now."""
    rows = _of(job)
    if rows is not None:
        now = timezone.now()  # update() skips auto_now: updated_at is set here
        rows.update(status=Transmission.Status.PROCESSING, try_done=F("try_done") + 1,
                    last_run=now, updated_at=now)  # fmt: skip


@receiver(job_finished, dispatch_uid="transmissions.finished")
def transmission_finished(sender, job: Job, **kwargs) -> None:
    """The job's final state is the transmission's: completed, failed (with why) or pending."""
    rows = _of(job)
    if rows is not None:
        rows.update(status=_FINAL[job.status], response=job.last_error[:2000],
                    updated_at=timezone.now())  # fmt: skip
