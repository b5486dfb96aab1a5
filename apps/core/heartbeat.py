"""Heartbeats of workers and beat, kept in the shared cache for /health/ to read."""

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

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
    """``{"status": ok|stale|missing|unknown, "last_seen_seconds_ago": n, "instances": [...]}``;
    ``unknown`` when the cache that holds the heartbeats cannot be read (Redis down)."""
    try:
        beats = cache.get(_KEY.format(kind=kind)) or {}
    except Exception as exc:  # the cache backend's own errors: /health/ must still answer
        logger.warning("health: %s heartbeats unreadable: %s", kind, exc)
        return {"status": "unknown", "last_seen_seconds_ago": None, "instances": [],
                "error": str(exc)[:200]}  # fmt: skip
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
