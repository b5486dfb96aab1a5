"""Writes of transmissions: create, send/retry, schedule, clone, delete.

Every delivery goes through the engine: a send makes one engine job whose attempts are this
transmission's spools; the engine's signals bring the outcome back (receivers.py).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from apps.core.exceptions import Locked
from apps.delivery.models import Attempt, Job, Priority
from apps.delivery.services.jobs import JobSpec, job_attempt_reserve, job_cancel, jobs_create
from apps.programs.payloads import PayloadError, outbound_payload
from apps.programs.types import program_type
from apps.transmissions.models import Transmission

Status = Transmission.Status
_REFUSED = {
    Status.INVALID: "Invalid transmission, unable to process.",
    Status.PROCESSING: "Transmission already in process.",
    Status.COMPLETED: "Transmission completed, request denied.",
}


def transmission_create(*, client_id: int, program, user=None, **fields) -> Transmission:
    """A pending transmission of ``program``; title, origin, service and direction from it."""
    kind = program_type(program.type)
    fields.setdefault("title", program.name)
    fields.setdefault("direction", kind.direction)
    return Transmission.objects.create(
        client_id=client_id, program=program, origin=program.type,
        service_flag=kind.service_flag, created_by=user, **fields,
    )  # fmt: skip


def _job_spec(tx: Transmission, run_at: datetime | None, priority: int) -> JobSpec:
    payload = outbound_payload(program=tx.program, contact=tx.contact, account=tx.account)
    return JobSpec(
        channel=program_type(tx.program.type).channel, payload=payload, priority=priority,
        run_at=run_at, attempts_allowed=max(1, tx.try_allowed - tx.try_done), origin="comms",
        meta={"transmission_id": tx.id}, log_tag=f"transmission:{tx.id}",
    )  # fmt: skip


def transmission_job_spec(
    *, transmission: Transmission, run_at: datetime | None, priority: int, **meta
) -> JobSpec:
    """The engine job that sends ``transmission`` (for a face that creates jobs in bulk, e.g.
    a campaign's pump); ``meta`` is added to the job's. Raises PayloadError when it cannot."""
    spec = _job_spec(transmission, run_at, priority)
    spec.meta.update(meta)
    return spec


def _failing_at_once(send):
    """A send that cannot start (its contact has no number for the channel, its content is
    gone) fails the transmission with the reason, answers 412 naming the field, and is
    never left in processing."""

    def wrapped(*, transmission: Transmission, **kwargs):
        try:
            return send(transmission=transmission, **kwargs)
        except PayloadError as error:
            Transmission.objects.filter(pk=transmission.pk).update(
                status=Status.FAILED, response=str(error)[:2000]
            )
            raise ValidationError({error.field: [str(error)]}) from error

    return wrapped


def _locked(tx_id: int) -> Transmission:
    return Transmission.objects.select_for_update().select_related("program").get(pk=tx_id)


@_failing_at_once
def transmission_send(*, transmission: Transmission, priority: int = Priority.MODERATE) -> Attempt:
    """Send now (``/send`` and ``/retry``): 423 when processing, completed or invalid.

    Answers the new spool (the engine attempt reserved for the first try). A manual send does
    not check ``try_allowed``, as in ICTCore; the engine retries while tries remain.
    """
    with transaction.atomic():
        tx = _locked(transmission.pk)
        if tx.status in _REFUSED:
            raise Locked(_REFUSED[tx.status])
        _pending_job_cancel(tx)
        spec = _job_spec(tx, None, priority)
        job = jobs_create(client_id=tx.client_id, specs=[spec])[0]
        tx.job, tx.status, tx.last_run, tx.response = job, Status.PROCESSING, timezone.now(), ""
        tx.save(update_fields=["job", "status", "last_run", "response", "updated_at"])
        return job_attempt_reserve(job=job)


@_failing_at_once
def transmission_schedule(*, transmission: Transmission, run_at: datetime) -> Job:
    """Send at ``run_at`` instead of now; the engine job is the schedule (its id answered)."""
    with transaction.atomic():
        tx = _locked(transmission.pk)
        if tx.status in _REFUSED:
            raise Locked(_REFUSED[tx.status])
        _pending_job_cancel(tx)
        job = jobs_create(client_id=tx.client_id, specs=[_job_spec(tx, run_at, Priority.MODERATE)])[
            0
        ]
        tx.job, tx.status = job, Status.PENDING
        tx.save(update_fields=["job", "status", "updated_at"])
        return job


def _pending_job_cancel(tx: Transmission) -> bool:
    """Cancel the transmission's job if it has not started (a schedule being replaced)."""
    if tx.job_id and tx.job.status in Job.WAITING:
        return job_cancel(job=tx.job)
    return False


def transmission_schedule_cancel(*, transmission: Transmission) -> bool:
    """Cancel the transmission's job unless it has started (a schedule or a waiting retry),
    under the row lock; False when there was nothing to cancel.
    """
    with transaction.atomic():
        return _pending_job_cancel(_locked(transmission.pk))


def transmission_clone(*, transmission: Transmission, user=None) -> Transmission:
    """A pending copy (not sent): same program, contact, account, tries and campaign."""
    copied = ("title", "account_id", "contact_id", "direction", "try_allowed", "campaign_id")
    fields = {name: getattr(transmission, name) for name in copied}
    return transmission_create(
        client_id=transmission.client_id, program=transmission.program, user=user, **fields
    )


def _refuse_while_trying(tx: Transmission) -> None:
    """423 while processing (also while a retry waits), as send refuses: the engine job
    carries what the row said when it was sent. ``DELETE …/schedule`` stops a waiting retry
    (the transmission is pending again)."""
    if tx.status == Status.PROCESSING:
        raise Locked("Transmission already in process; change or delete it when it has ended.")


def transmission_update(*, transmission: Transmission, **fields) -> Transmission:
    """Change the given fields (PUT); 423 while a try is under way."""
    with transaction.atomic():
        tx = _locked(transmission.pk)
        _refuse_while_trying(tx)
        for name, value in fields.items():
            setattr(tx, name, value)
        tx.save()
        return tx


def transmission_delete(*, transmission: Transmission) -> None:
    """Cancel what has not run yet (a schedule, a retry), then delete; 423 while a try is
    under way. Its spools stay in the engine's history."""
    with transaction.atomic():
        tx = _locked(transmission.pk)
        _refuse_while_trying(tx)
        _pending_job_cancel(tx)
        tx.delete()
