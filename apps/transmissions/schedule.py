"""Turn the ICTCore schedule body into one moment (transmission schedules are one-shot)."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from rest_framework.exceptions import ValidationError

_FIELDS = ("year", "month", "day", "hour", "minute")


def schedule_time(data: dict) -> datetime:
    """``delay`` | ``timestamp`` | ``datetime`` | cron-like fields → an aware UTC datetime."""
    now = timezone.now()
    if data.get("delay") is not None:
        return now + timedelta(seconds=data["delay"])
    if data.get("timestamp") is not None:
        return datetime.fromtimestamp(data["timestamp"], tz=UTC)
    if data.get("datetime") is not None:
        moment = data["datetime"]
        return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
    if any(data.get(f) is not None for f in _FIELDS):
        return _next_match(now, {f: _field(data, f) for f in _FIELDS})
    raise ValidationError(
        {"delay": ["Give delay, timestamp, datetime or year/month/day/hour/minute."]}
    )


def _field(data: dict, name: str) -> int | None:
    value = str(data.get(name) if data.get(name) is not None else "*").strip()
    if value == "*":
        return None
    if not value.isdigit():
        raise ValidationError({name: ["Use a number or *."]})
    return int(value)


def _next_match(now: datetime, wanted: dict) -> datetime:
    """The first whole minute after now matching every given field (searching ≤ 5 years)."""
    moment = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    end = now + timedelta(days=5 * 366)
    while moment <= end:
        if _matches(moment, wanted):
            return moment
        moment = _advance(moment, wanted)
    raise ValidationError({"year": ["No matching time in the next five years."]})


def _matches(moment: datetime, wanted: dict) -> bool:
    return all(v is None or getattr(moment, f) == v for f, v in wanted.items())


def _advance(moment: datetime, wanted: dict) -> datetime:
    """Skip ahead by the coarsest unit that does not match yet (fast enough for years)."""
    for field, step in (("year", None), ("month", None), ("day", 1440), ("hour", 60)):
        if wanted[field] is not None and getattr(moment, field) != wanted[field]:
            if step is None:  # next month
                return (moment.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
            floor = (
                moment.replace(minute=0) if field == "hour" else moment.replace(hour=0, minute=0)
            )
            return floor + timedelta(minutes=step)
    return moment + timedelta(minutes=1)
