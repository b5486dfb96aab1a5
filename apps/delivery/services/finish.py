"""Recording the ends of a batch of tries in one transaction.

For every run: its attempt closes (succeeded or failed), and its job either ends (succeeded,
failed) or waits for a retry (retrying, with a backoff). Only jobs still held under the
batch's lease token are written — the rows are locked first, so a sweeper that rescued a
job meanwhile wins and this worker's late outcome is noted as ``lease_lost``. Attempts, jobs
and events are written with one statement each, whatever the batch's size.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.bulk import rows_insert, rows_update
from apps.delivery.gateways.base import DeliveryError, Outcome
from apps.delivery.models import Attempt, Event, Job
from apps.delivery.services.backoff import retry_delay
from apps.delivery.signals import job_finished

ATTEMPT_END_FIELDS = ["outcome", "connected_at", "ended_at", "provider_message_id", "request",
                      "response", "error", "reason", "permanent"]  # fmt: skip
JOB_END_FIELDS = ["status", "finished_at", "run_at", "lease_token", "lease_expires_at", "result",
                  "last_error", "reason"]  # fmt: skip


@dataclass
class JobRun:
    """One job's try within a batch: its route, its attempt row and how the send ended."""

    job: Job
    provider: object = None
    gateway_cls: type | None = None
    attempt: Attempt | None = None
    outcome: Outcome | None = None
    error: DeliveryError | None = None


def runs_finish(*, runs: list[JobRun], token, renew_ids=()) -> dict[int, str | None]:
    """Record the ends of ``runs`` (all sent or failed); {job id: new status or None}.

    ``renew_ids``: jobs of the same batch still to be sent, whose leases are extended.
    """
    if not runs and not renew_ids:
        return {}
    now = timezone.now()
    with transaction.atomic():
        ours = set(
            Job.objects.select_for_update()
            .filter(pk__in=[run.job.pk for run in runs], lease_token=token)
            .filter(status=Job.Status.RUNNING)
            .values_list("pk", flat=True)
        )
        statuses, events = {}, []
        for run in runs:
            _attempt_close(run, now)
            events.append(Event(job=run.job, kind="started", at=run.job.started_at,
                                data={"attempt": run.job.attempts_made}))  # fmt: skip
            if run.job.pk in ours:
                statuses[run.job.pk] = _job_close(run, now, events)
            else:  # the sweeper took it back meanwhile: its outcome is the retry's to write
                statuses[run.job.pk] = None
                events.append(Event(job=run.job, kind="lease_lost"))
        rows_update(Attempt, [run.attempt for run in runs], ATTEMPT_END_FIELDS)
        rows_update(Job, [run.job for run in runs if run.job.pk in ours], JOB_END_FIELDS)
        rows_insert(Event, events)
        _leases_renew(renew_ids, token, now)
        for run in runs:
            if statuses[run.job.pk] in Job.FINISHED:
                job_final_effects(job=run.job)
    return statuses


def _leases_renew(job_ids, token, now) -> None:
    if job_ids:
        Job.objects.filter(pk__in=job_ids, lease_token=token).update(
            lease_expires_at=now + timedelta(seconds=settings.FUSION_LEASE_SECONDS)
        )


def _attempt_close(run: JobRun, now) -> None:
    attempt, outcome, error = run.attempt, run.outcome, run.error
    attempt.ended_at = now
    if error is None:
        attempt.outcome, attempt.connected_at = Attempt.Outcome.SUCCEEDED, now
        attempt.provider_message_id = outcome.provider_message_id[:255]
        attempt.request, attempt.response = outcome.request, outcome.response
        return
    attempt.outcome, attempt.error = Attempt.Outcome.FAILED, str(error)[:2000]
    attempt.reason, attempt.permanent = error.reason, error.permanent
    attempt.response = error.response


def _job_close(run: JobRun, now, events: list[Event]) -> str:
    """Set the job's end fields (written by the caller) and queue its events; its status."""
    job, error = run.job, run.error
    job.lease_token = job.lease_expires_at = None
    if error is None:
        job.status, job.finished_at, job.last_error, job.reason = Job.Status.SUCCEEDED, now, "", ""
        job.result = _result_of(run.outcome)
    elif not error.permanent and job.attempts_made < job.attempts_allowed:
        delay = retry_delay(attempt=job.attempts_made, hook=job.origin == "hook")
        job.status, job.run_at = Job.Status.RETRYING, now + delay
        job.last_error, job.reason = str(error)[:2000], error.reason
        retrying = {"reason": error.reason, "delay_seconds": round(delay.total_seconds(), 1)}
        events.append(Event(job=job, kind="retrying", data=retrying))
        return job.status
    else:
        job.status, job.finished_at = Job.Status.FAILED, now
        job.last_error, job.reason = str(error)[:2000], error.reason
    events.append(Event(job=job, kind=job.status, data={"reason": job.reason}))
    return job.status


def _result_of(outcome: Outcome) -> dict:
    result = {"provider_message_id": outcome.provider_message_id, "delivered": outcome.delivered}
    result.update({"response": outcome.response} if outcome.response else {})
    return result


def job_final_effects(*, job: Job) -> None:
    """What every final state triggers, inside its transaction: callbacks, then the signal.
    ``job`` must carry its final fields (status, result or error)."""
    from apps.delivery.services.hooks import hooks_schedule

    hooks_schedule(job=job)
    transaction.on_commit(lambda: job_finished.send(sender=Job, job=job))


def job_finished_announce(*, job_id: int) -> None:
    """Send the job_finished signal again for a job whose outcome changed after its end
    (a delivery receipt saying it was not delivered)."""
    job_finished.send(sender=Job, job=Job.objects.get(pk=job_id))
