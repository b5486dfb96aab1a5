"""Heartbeats of workers and beat, kept in the shared cache for /health/ to read."""

import time

from django.conf import settings
from django.core.cache import cache

_KEY = "fusion:heartbeat:{kind}"


def heartbeat_record(*, kind: str, name: str) -> None:
    """Note that process ``name`` of ``kind`` (worker or beat) is alive now."""
    key = _KEY.format(kind=kind)
    beats = cache.get(key) or {}
    now = time.time()
    stale = now - 10 * settings.FUSION_HEARTBEAT_STALE_SECONDS
    beats = {host: at for host, at in beats.items() if at > stale}
    beats[name] = now
    cache.set(key, beats, timeout=None)


def heartbeat_state(*, kind: str) -> dict:
    """``{"status": ok|stale|missing, "last_seen_seconds_ago": n, "instances": [...]}``."""
    beats = cache.get(_KEY.format(kind=kind)) or {}
    if not beats:
        return {"status": "missing", "last_seen_seconds_ago": None, "instances": []}
    now = time.time()
    age = now - max(beats.values())
    fresh = [
        host for host, at in beats.items() if now - at <= settings.FUSION_HEARTBEAT_STALE_SECONDS
    ]
    return {
        "status": "ok" if fresh else "stale",
        "last_seen_seconds_ago": round(age, 1),
        "instances": sorted(fresh),
    }
