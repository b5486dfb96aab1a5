"""Keeping providers' rate limits: a batch's tries over a provider's limit wait their turn.

The provider of a try is chosen by the worker (weighted choice, failover, pins), so this is
where a provider's ``max_per_second`` can be counted; the count itself is global, a bucket
row per provider (``apps.providers.rate``). Tries that get no token go back to the schedule
— ``scheduled``, due when their token will be there, their attempt not used — and the
dispatcher hands them out again like any due job. Nothing waits in a worker or in Celery.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.bulk import rows_insert, rows_update
from apps.delivery.models import Event, Job, Priority
from apps.delivery.services.finish import JobRun
from apps.providers.rate import provider_sends_take

DEFER_FIELDS = ["status", "run_at", "lease_token", "lease_expires_at", "attempts_made"]


def runs_throttle(*, runs: list[JobRun], token) -> tuple[list[JobRun], set[int]]:
    """(the runs that may send now, the ids of the jobs put back on the schedule)."""
    limited: dict[int, list[JobRun]] = {}
    for run in runs:
        if run.error is None and run.provider is not None and run.provider.max_per_second:
            limited.setdefault(run.provider.pk, []).append(run)
    held: list[tuple[JobRun, float]] = []
    for group in limited.values():
        group.sort(key=lambda run: -run.job.priority)  # within a batch, urgent ones first
        high = group[0].job.priority == Priority.HIGH
        grant = provider_sends_take(provider=group[0].provider, wanted=len(group), high=high)
        held.extend(zip(group[grant.granted :], grant.waits, strict=True))
    if not held:
        return runs, set()
    waiting = {id(run) for run, _ in held}
    return [run for run in runs if id(run) not in waiting], _runs_defer(held, token)


def _runs_defer(held: list[tuple[JobRun, float]], token) -> set[int]:
    """running → scheduled for each held run still under our lease, due when its token is
    there; the try it was given is handed back (``attempts_made`` - 1). The rows are locked
    first (a sweeper that took one back meanwhile wins), then written with one statement
    each for the jobs and their events, however many were held."""
    now = timezone.now()
    with transaction.atomic():
        ours = set(
            Job.objects.select_for_update()
            .filter(pk__in=[run.job.pk for run, _ in held], lease_token=token)
            .filter(status=Job.Status.RUNNING)
            .values_list("pk", flat=True)
        )
        deferred = [(run, wait) for run, wait in held if run.job.pk in ours]
        for run, wait in deferred:
            job = run.job
            job.status, job.run_at = Job.Status.SCHEDULED, now + timedelta(seconds=wait)
            job.lease_token = job.lease_expires_at = None
            job.attempts_made -= 1
        rows_update(Job, [run.job for run, _ in deferred], DEFER_FIELDS)
        rows_insert(Event, [_throttled_event(run, wait) for run, wait in deferred])
    return {run.job.pk for run, _ in deferred}


def _throttled_event(run: JobRun, wait: float) -> Event:
    data = {"provider": run.provider.pk, "wait_seconds": round(wait, 3)}
    return Event(job=run.job, kind="throttled", data=data)
