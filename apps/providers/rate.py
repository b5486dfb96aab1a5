"""Provider rate limits: a token bucket per provider, in the database, shared by all workers.

A vendor account accepts so many sends per second (Twilio's long codes 1, WhatsApp Cloud 80,
…). Celery's own ``rate_limit`` counts per worker process, so it cannot keep a limit that
several workers share; the bucket is a row instead (``ProviderRate``). It holds at most one
second's worth of sends (at least one) and refills at ``max_per_second``.

Priority: high-priority work (an OTP) may borrow up to ``max(1, rate / 5)`` tokens beyond an
empty bucket. Lower priorities wait until the debt is repaid, so a campaign that keeps the
bucket empty never makes an OTP wait for it, while the long-run rate stays the vendor's.

Each take is a compare-and-set on the row's ``version``: no lock is held while a gateway
sends, and SQLite (which has no row locks) is as safe as PostgreSQL.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from apps.providers.models import Provider, ProviderRate

_CAS_TRIES = 8
_MIN_WAIT_SECONDS = 0.01


@dataclass(frozen=True)
class RateGrant:
    """How many of the wanted sends may go now, and, for each of the others in turn, how
    many seconds from now its token will be there."""

    granted: int
    waits: list[float]


def bucket_capacity(rate: float) -> float:
    """One second's worth of sends, and at least one."""
    return max(1.0, rate)


def high_reserve(rate: float) -> float:
    """How far below empty high-priority work may take the bucket."""
    return max(1.0, rate / 5)


def provider_sends_take(*, provider: Provider, wanted: int, high: bool = False) -> RateGrant:
    """Take tokens for up to ``wanted`` sends through ``provider`` (one each).

    A provider without ``max_per_second`` grants everything. When the row keeps changing
    under us (many workers at once) the take gives up and grants nothing: the sends wait a
    little, they are never sent over the limit.
    """
    rate = provider.max_per_second
    if not rate or wanted <= 0:
        return RateGrant(granted=max(wanted, 0), waits=[])
    floor = -high_reserve(rate) if high else 0.0
    for _ in range(_CAS_TRIES):
        bucket, now = _bucket_of(provider), timezone.now()
        level = _level(bucket, rate, now)
        granted = max(0, min(wanted, int(level - floor)))
        queue = None if high else bucket.queued_until  # high priority does not queue
        waits = _waits(level - granted, floor, rate, wanted - granted, now=now, queue=queue)
        queued_until = bucket.queued_until
        if waits and not high:  # the next sends told to wait queue behind these
            queued_until = now + timedelta(seconds=waits[-1])
        if _bucket_set(bucket, tokens=level - granted, now=now, queued_until=queued_until):
            return RateGrant(granted, waits)
    return RateGrant(0, _waits(floor, floor, rate, wanted, now=timezone.now(), queue=None))


def _bucket_of(provider: Provider) -> ProviderRate:
    full = {"tokens": bucket_capacity(provider.max_per_second), "refilled_at": timezone.now()}
    bucket, _ = ProviderRate.objects.get_or_create(provider=provider, defaults=full)
    return bucket


def _level(bucket: ProviderRate, rate: float, now) -> float:
    """Tokens in the bucket now: what was left plus the refill since, capped."""
    elapsed = max(0.0, (now - bucket.refilled_at).total_seconds())
    return min(bucket_capacity(rate), bucket.tokens + elapsed * rate)


def _bucket_set(bucket: ProviderRate, *, tokens: float, now, queued_until) -> bool:
    """Write the new level unless another worker wrote first (then read it again)."""
    return bool(
        ProviderRate.objects.filter(pk=bucket.pk, version=bucket.version).update(
            tokens=tokens, refilled_at=now, queued_until=queued_until, version=bucket.version + 1
        )
    )


def _waits(level: float, floor: float, rate: float, count: int, *, now, queue) -> list[float]:
    """Seconds until each of ``count`` held sends finds its token: the bucket refills from
    ``level``, and sends already told to wait (until ``queue``) go first, one token each.

    Without the queue every batch held at once would be told the same short waits, all come
    back together, and be held again: a backlog would cycle through the engine many times.
    """
    first = (floor + 1 - level) / rate
    if queue is not None:
        first = max(first, (queue - now).total_seconds() + 1 / rate)
    return [max(_MIN_WAIT_SECONDS, first + n / rate) for n in range(count)]
