"""Retry delays: exponential with jitter for deliveries, a fixed ladder for callbacks."""

import random
from datetime import timedelta

from django.conf import settings

# Callback (hook) deliveries: 8 attempts over about a day, as Standard Webhooks suggests.
HOOK_DELAYS = (30, 120, 600, 1800, 3600, 4 * 3600, 12 * 3600)


def retry_delay(*, attempt: int, hook: bool = False) -> timedelta:
    """Delay before the try after ``attempt`` (1-based), with ±25 % jitter."""
    if hook:
        base = HOOK_DELAYS[min(attempt, len(HOOK_DELAYS)) - 1]
    else:
        base = min(
            settings.FUSION_RETRY_BASE_SECONDS * 2 ** (attempt - 1),
            settings.FUSION_RETRY_MAX_SECONDS,
        )
    return timedelta(seconds=base * random.uniform(0.75, 1.25))
