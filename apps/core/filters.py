"""Filter pieces shared by every face's list endpoints.

The Comms face's rule (ICTCore's "List APIs: all list APIs support optional search filter"):
any field of a list's rows may be given in the query string under its own name. Text matches
a part (ignoring case), everything else matches exactly; unknown keys are ignored; a value of
the wrong kind answers 412 naming the key. ``FieldFilterSet`` builds such filters from
``Meta.fields``; ``before``/``after`` take unix seconds (as ICTCore) or ISO 8601.
"""

import re
from datetime import UTC, datetime, time

import django_filters
from django import forms
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS

_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f"}
_UNIX = re.compile(r"-?\d+(\.\d+)?")


class FlagField(forms.Field):
    """A yes/no query value as the specs write it: 1/0 (true/false and yes/no also work)."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise forms.ValidationError("Use 1 or 0.")


class FlagFilter(django_filters.BooleanFilter):
    """BooleanFilter that reads ``?active=1`` / ``?active=0``."""

    field_class = FlagField


class MomentField(forms.Field):
    """A point in time: unix seconds (as ICTCore clients send it), an ISO 8601 time, or a
    date (midnight UTC)."""

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        if _UNIX.fullmatch(text):
            return datetime.fromtimestamp(float(text), tz=UTC)
        moment = parse_datetime(text.replace(" ", "T"))
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime.combine(day, time.min)
        if moment is None:
            raise forms.ValidationError("Use unix seconds or an ISO 8601 time.")
        return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


class MomentFilter(django_filters.Filter):
    """A filter on a time given as unix seconds, ISO 8601 or a date (see ``MomentField``)."""

    field_class = MomentField


def contains(*names: str) -> dict[str, list[str]]:
    """``Meta.fields`` entries: these text fields match a part of the value, ignoring case."""
    return {name: ["icontains"] for name in names}


def exact(*names: str) -> dict[str, list[str]]:
    """``Meta.fields`` entries: these fields match the value exactly."""
    return {name: ["exact"] for name in names}


class FieldFilterSet(django_filters.FilterSet):
    """A FilterSet whose ``Meta.fields`` filters are named as the fields themselves.

    django-filter would call ``{"username": ["icontains"]}`` ``?username__icontains=``; a
    Comms client sends ``?username=``. Yes/no columns read 1/0, and foreign keys compare the
    id as a number (a model-choice filter would answer 412 for another client's id but not for
    a missing one, telling them apart).
    """

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        models.BooleanField: {"filter_class": FlagFilter},
        models.ForeignKey: {"filter_class": django_filters.NumberFilter},
    }

    @classmethod
    def get_filter_name(cls, field_name: str, lookup_expr: str) -> str:
        return field_name


class CreatedFilterSet(FieldFilterSet):
    """Plus ``before``/``after`` (creation time) and ``user_id``/``created_by`` (the creator)."""

    before = MomentFilter(field_name="created_at", lookup_expr="lt")
    after = MomentFilter(field_name="created_at", lookup_expr="gte")
    user_id = django_filters.NumberFilter(field_name="created_by_id")
    created_by = django_filters.NumberFilter(field_name="created_by_id")
