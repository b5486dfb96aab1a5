"""Case numbers: ``YYYYMMDD`` plus a 7-digit sequence that restarts every day."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.exceptions import APIException

from apps.cases.models import CaseDaySequence

SEQUENCE_DIGITS = 7
SEQUENCE_MAX = 10**SEQUENCE_DIGITS - 1


class SequenceExhausted(APIException):
    """More than 9,999,999 cases on one day (HTTP 503)."""

    status_code = 503
    default_detail = "No case numbers are left for today."
    default_code = "sequence_exhausted"


def _sequence_increment(day: dt.date) -> bool:
    """Add one to the day's counter; False when the day has no row yet."""
    return bool(CaseDaySequence.objects.filter(day=day).update(last=F("last") + 1))


def task_num_allocate(*, day: dt.date | None = None) -> str:
    """The next task number of ``day`` (today, UTC, by default).

    The counter row is changed with ``UPDATE … SET last = last + 1``: the row stays locked
    until the caller's transaction ends, so concurrent requests get distinct numbers, and a
    rolled-back case gives its number back. The first request of a day inserts the row; a
    concurrent insert loses on the primary key and increments instead.
    """
    day = day or timezone.now().astimezone(dt.UTC).date()
    with transaction.atomic():
        if not _sequence_increment(day):
            try:
                with transaction.atomic():
                    CaseDaySequence.objects.create(day=day, last=1)
            except IntegrityError:
                _sequence_increment(day)
        last = CaseDaySequence.objects.filter(day=day).values_list("last", flat=True).get()
    if last > SEQUENCE_MAX:
        raise SequenceExhausted()
    return f"{day:%Y%m%d}{last:0{SEQUENCE_DIGITS}d}"
