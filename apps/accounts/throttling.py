"""Failed-login throttle: after N failures in a minute, per username and per address, 429.

The counters live in the shared cache (Redis in production). When it cannot be read, logins
answer 503 rather than going unthrottled (as django-ratelimit fails closed by default): a
password guesser must not get an unlimited window from a cache outage.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.exceptions import APIException, Throttled

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


class LoginUnavailable(APIException):
    """503: the failed-login counters cannot be read, so no login is checked against them."""

    status_code = 503
    default_detail = "Login is briefly unavailable; try again in a moment."
    default_code = "login_unavailable"


def _keys(*, identifier: str, address: str) -> list[str]:
    return [f"login-fail:id:{identifier.strip().lower()}", f"login-fail:ip:{address}"]


def login_throttle_check(*, identifier: str, address: str) -> None:
    """Raise Throttled (429 with Retry-After) when either counter is at the limit."""
    limit = settings.FUSION_LOGIN_FAILURES_PER_MINUTE
    now = time.time()
    try:
        windows = [cache.get(key) for key in _keys(identifier=identifier, address=address)]
    except Exception as exc:  # the cache backend's errors (Redis down)
        logger.warning("login throttle: counters unreadable: %s", exc)
        raise LoginUnavailable() from exc
    for window in windows:
        if window and window["count"] >= limit:
            wait = max(1, int(window["start"] + WINDOW_SECONDS - now) + 1)
            raise Throttled(wait=wait, detail="Too many failed logins; try again later.")


def login_failure_record(*, identifier: str, address: str) -> None:
    """Count one failed login against the identifier and the address."""
    now = time.time()
    try:
        for key in _keys(identifier=identifier, address=address):
            window = cache.get(key) or {"count": 0, "start": now}
            window["count"] += 1
            remaining = max(1, int(window["start"] + WINDOW_SECONDS - now))
            cache.set(key, window, timeout=remaining)
    except Exception as exc:  # the 401 still answers; the next check fails closed
        logger.warning("login throttle: failure not counted: %s", exc)


def login_success_record(*, identifier: str) -> None:
    """A good login clears its identifier's counter (not the address's)."""
    try:
        cache.delete(_keys(identifier=identifier, address="")[0])
    except Exception as exc:  # the login succeeded; a stale counter only expires later
        logger.warning("login throttle: counter not cleared: %s", exc)
