"""Query-string filters of the message asset lists (ICTCore §8; unknown keys are ignored).

``<x>_id`` is exact; name, type and description contain the value (templates also subject,
body and body_alt); ``user_id`` is the creator; ``before``/``after`` compare the creation
time and take unix seconds (as ICTCore) or an ISO 8601 time.
"""

import re
from datetime import UTC, datetime, time

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from apps.content.models import Document, Recording, Template, Text

_UNIX = re.compile(r"-?\d+(\.\d+)?")


class MomentField(forms.Field):
    """A point in time: unix seconds, an ISO 8601 time, or a date (midnight UTC)."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip()
        if _UNIX.fullmatch(text):
            return datetime.fromtimestamp(float(text), tz=UTC)
        moment = parse_datetime(text.replace(" ", "T"))
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime.combine(day, time.min)
        if moment is None:
            raise forms.ValidationError("Use unix seconds or an ISO 8601 time.")
        return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


class MomentFilter(django_filters.Filter):
    field_class = MomentField


def _contains() -> django_filters.CharFilter:
    return django_filters.CharFilter(lookup_expr="icontains")


class AssetFilter(django_filters.FilterSet):
    """Filters every asset list shares."""

    name = _contains()
    type = _contains()
    description = _contains()
    user_id = django_filters.NumberFilter(field_name="created_by_id")
    before = MomentFilter(field_name="created_at", lookup_expr="lt")
    after = MomentFilter(field_name="created_at", lookup_expr="gte")


class TextFilter(AssetFilter):
    """``GET /api/messages/texts`` filters."""

    text_id = django_filters.NumberFilter(field_name="id")

    class Meta:
        model = Text
        fields: list[str] = []


class TemplateFilter(AssetFilter):
    """``GET /api/messages/templates`` filters (also subject, body and body_alt)."""

    template_id = django_filters.NumberFilter(field_name="id")
    subject = _contains()
    body = _contains()
    body_alt = _contains()

    class Meta:
        model = Template
        fields: list[str] = []


class DocumentFilter(AssetFilter):
    """``GET /api/messages/documents`` filters."""

    document_id = django_filters.NumberFilter(field_name="id")

    class Meta:
        model = Document
        fields: list[str] = []


class RecordingFilter(AssetFilter):
    """``GET /api/messages/recordings`` filters."""

    recording_id = django_filters.NumberFilter(field_name="id")

    class Meta:
        model = Recording
        fields: list[str] = []
