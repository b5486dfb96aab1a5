"""The dispatcher: claims due jobs in priority order and publishes them to Celery.

One claim per priority (high, then moderate, then low): ``SELECT … WHERE status IN
(scheduled, retrying) AND priority = p AND run_at <= now ORDER BY run_at LIMIT n FOR UPDATE
SKIP LOCKED``, then a conditional update to ``queued``; messages go out after commit. A range
scan per priority keeps the claim's cost independent of how many future jobs are stored.
On SQLite, IMMEDIATE transactions serialise claimers instead of SKIP LOCKED.
Back-pressure: at most FUSION_DISPATCH_MAX_QUEUED jobs per priority wait in the broker, so
the backlog stays in the database where cancel and reschedule still reach it.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.delivery.models import Job, Priority
from apps.delivery.services.events import events_record_many

logger = logging.getLogger(__name__)

QUEUE_OF_PRIORITY = {Priority.HIGH: "high", Priority.MODERATE: "default", Priority.LOW: "low"}


def _batch_size(priority: int) -> int:
    """Jobs per Celery message: 1 for high priority (no waiting behind others), more below."""
    return settings.FUSION_EXECUTE_BATCH[priority]


def _claim(priority: int, limit: int, now) -> list[int]:
    waiting = Job.objects.filter(status__in=Job.WAITING, priority=priority, run_at__lte=now)
    ids = list(
        waiting.order_by("run_at", "id")
        .select_for_update(skip_locked=True)
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return []
    Job.objects.filter(id__in=ids, status__in=Job.WAITING).update(
        status=Job.Status.QUEUED, queued_at=now
    )
    return ids


def _room(priority: int) -> int:
    """How many more jobs of ``priority`` may be handed to the broker now.

    Low-water mark: once the broker holds its cap, room opens again only when a tenth of it
    has drained, so the dispatcher hands out full batches instead of spinning on one or two
    freed slots (each spin costing a claim and a count).
    """
    cap = settings.FUSION_DISPATCH_MAX_QUEUED
    queued = Job.objects.filter(status=Job.Status.QUEUED, priority=priority).count()
    room = max(0, cap - queued)
    return room if queued == 0 or room >= max(1, cap // 10) else 0


def jobs_publish(*, priority: int, job_ids: list[int]) -> None:
    """Send jobs to the Celery queue of their priority, in messages of a few jobs each."""
    from apps.delivery.tasks import job_execute_batch_task

    size = _batch_size(priority)
    queue = QUEUE_OF_PRIORITY[priority]
    for start in range(0, len(job_ids), size):
        job_execute_batch_task.apply_async(args=[job_ids[start : start + size]], queue=queue)


def dispatch_once(*, limit: int | None = None) -> int:
    """One pass over the priorities, highest first; returns how many jobs were claimed."""
    limit = limit or settings.FUSION_DISPATCH_BATCH
    claimed = 0
    for priority in (Priority.HIGH, Priority.MODERATE, Priority.LOW):
        room = min(limit, _room(priority))
        if room <= 0:
            continue
        with transaction.atomic():
            ids = _claim(priority, room, timezone.now())
            if ids:
                events_record_many(job_ids=ids, kind="queued")
                transaction.on_commit(lambda p=priority, i=ids: jobs_publish(priority=p, job_ids=i))
        claimed += len(ids)
    return claimed


def _seconds_to_next_due() -> float | None:
    """Seconds until the earliest waiting job is due (negative when overdue), None when none
    wait."""
    earliest = (
        Job.objects.filter(status__in=Job.WAITING, priority=p)
        .order_by("run_at")
        .values("run_at")[:1]
        for p in (Priority.HIGH, Priority.MODERATE, Priority.LOW)
    )
    times = [row["run_at"] for query in earliest for row in query]
    if not times:
        return None
    return (min(times) - timezone.now()).total_seconds()


def dispatch_due(*, budget_seconds: float | None = None) -> int:
    """Claim due jobs until the time budget (just under a beat tick) is spent.

    Between claims it sleeps until the next job falls due (polling at most every 50 ms), so a
    job fires within milliseconds of its time rather than at the next one-second tick.
    """
    budget = budget_seconds if budget_seconds is not None else settings.FUSION_DISPATCH_BUDGET
    deadline = time.monotonic() + budget
    total = 0
    while True:
        claimed = dispatch_once()
        total += claimed
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return total
        if 0 < claimed < settings.FUSION_DISPATCH_BATCH // 10:  # a trickle: don't spin
            time.sleep(min(0.05, max(remaining, 0)))
        if not claimed:
            wait = _seconds_to_next_due()
            if wait is None or wait >= remaining:
                return total
            # Overdue work that was not claimed has no room (the broker holds its cap): the
            # workers need tens of ms to drain a tenth of it, so poll at 50 ms, not spin.
            time.sleep(0.05 if wait < -0.01 else min(max(wait, 0.005), 0.05))


_KICK_PENDING = "fusion:dispatch:kick-pending"


def dispatch_kick() -> None:
    """Wake the dispatcher now (after a commit that made work due) instead of at the next tick.

    At most one kick waits in the broker at a time (a cache flag the dispatcher clears when it
    starts), so a burst of requests cannot bury the sweeper's tasks under thousands of kicks.
    It runs after a commit, so it never raises: the work is stored already, and when the
    cache or the broker is unreachable the dispatcher's own tick claims it (an error here
    would answer 500 for a request whose jobs exist, and a client retrying would send twice).
    """
    from apps.delivery.tasks import dispatch_due_task

    try:
        if cache.add(_KICK_PENDING, 1, timeout=5):
            dispatch_due_task.apply_async(queue="system", retry=False)
    except Exception as exc:  # cache or broker down: the next tick still finds the work
        logger.warning("dispatcher kick not sent (%s); the next tick claims the work", exc)


def dispatch_kick_clear() -> None:
    """Called as a dispatcher run starts: the next commit may kick again."""
    cache.delete(_KICK_PENDING)
