"""Which provider a delivery uses: weighted choice among a client's active providers."""

import random
import time

from django.conf import settings

from apps.providers.catalog import SERVICE_FLAGS
from apps.providers.models import Provider

_CACHE: dict[int, tuple[float, list[Provider]]] = {}


def providers_active(client_id: int) -> list[Provider]:
    """The client's active providers, kept per process for FUSION_PROVIDER_CACHE_SECONDS: a
    worker delivering thousands of jobs a minute need not read the same rows for each."""
    ttl = settings.FUSION_PROVIDER_CACHE_SECONDS
    cached = _CACHE.get(client_id)
    if ttl and cached and cached[0] > time.monotonic():
        return cached[1]
    rows = list(Provider.objects.filter(client_id=client_id, active=True).order_by("weight", "id"))
    if ttl:
        _CACHE[client_id] = (time.monotonic() + ttl, rows)
    return rows


def provider_candidates(
    *, client_id: int, channel: str, active: list[Provider] | None = None
) -> list[Provider]:
    """Active providers of the client that serve ``channel``, lightest first. ``active``: the
    client's active providers when the caller has them already (a batch of jobs)."""
    flag = SERVICE_FLAGS[channel]
    rows = providers_active(client_id) if active is None else active
    return [p for p in rows if p.service_flag & flag]


def provider_choose(
    *,
    client_id: int,
    channel: str,
    pinned: str | int | None = None,
    avoid_id: int | None = None,
    rng: random.Random | None = None,
    active: list[Provider] | None = None,
) -> Provider | None:
    """Pick a provider, or None when the client has none for the channel.

    - ``pinned`` (a payload's ``config.provider``: id, name or type) restricts to matches.
    - ``avoid_id`` (the provider that just failed transiently) is skipped when another exists:
      that is the failover.
    - Otherwise a weighted draw where a lighter weight is chosen more often
      (probability proportional to 1 / (weight + 1)), as the spec says.
    """
    candidates = provider_candidates(client_id=client_id, channel=channel, active=active)
    if pinned not in (None, ""):
        key = str(pinned).lower()
        candidates = [p for p in candidates if key in (str(p.id), p.name.lower(), p.type.lower())]
    if avoid_id is not None and len(candidates) > 1:
        candidates = [p for p in candidates if p.id != avoid_id] or candidates
    if not candidates:
        return None
    weights = [1.0 / (p.weight + 1) for p in candidates]
    return (rng or random).choices(candidates, weights=weights, k=1)[0]
