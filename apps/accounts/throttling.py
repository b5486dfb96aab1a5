"""Failed-login throttle: after N failures in a minute, per username and per address, 429."""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.exceptions import Throttled

WINDOW_SECONDS = 60


def _keys(*, identifier: str, address: str) -> list[str]:
    return [f"login-fail:id:{identifier.strip().lower()}", f"login-fail:ip:{address}"]


def login_throttle_check(*, identifier: str, address: str) -> None:
    """Raise Throttled (429 with Retry-After) when either counter is at the limit."""
    limit = settings.FUSION_LOGIN_FAILURES_PER_MINUTE
    now = time.time()
    for key in _keys(identifier=identifier, address=address):
        window = cache.get(key)
        if window and window["count"] >= limit:
            wait = max(1, int(window["start"] + WINDOW_SECONDS - now) + 1)
            raise Throttled(wait=wait, detail="Too many failed logins; try again later.")


def login_failure_record(*, identifier: str, address: str) -> None:
    """Count one failed login against the identifier and the address."""
    now = time.time()
    for key in _keys(identifier=identifier, address=address):
        window = cache.get(key) or {"count": 0, "start": now}
        window["count"] += 1
        remaining = max(1, int(window["start"] + WINDOW_SECONDS - now))
        cache.set(key, window, timeout=remaining)


def login_success_record(*, identifier: str) -> None:
    """A good login clears its identifier's counter (not the address's)."""
    cache.delete(_keys(identifier=identifier, address="")[0])
