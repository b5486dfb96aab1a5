"""Field types of the Callbacks face: spec times, http(s) URLs and phone numbers."""

import re
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
MAX_SECONDS_AHEAD = 10 * 365 * 86400
# Separators people write inside numbers; they are dropped so vendors get plain digits.
NUMBER_SEPARATORS = re.compile(r"[\s\-.()/]")
NUMBER = re.compile(r"\+?[0-9]{2,20}")


def utc_text(value: datetime | None) -> str | None:
    """``YYYY-MM-DD HH:MM:SS`` in UTC (the spec's format)."""
    return value.astimezone(UTC).strftime(TIME_FORMAT) if value else None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "example": "2024-01-15 10:30:00"},
            {"type": "number", "description": "seconds from now"},
        ]
    }
)
class StartTimeField(serializers.Field):
    """``YYYY-MM-DD HH:MM:SS`` (UTC; an offset is honoured) or a number of seconds from now;
    empty means now."""

    default_error_messages = {"invalid": "Use 'YYYY-MM-DD HH:MM:SS' (UTC) or seconds from now."}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, str) and not data.strip():
            return timezone.now()  # "" as "not given", like null: start now
        if isinstance(data, int | float) or (isinstance(data, str) and _is_number(data)):
            seconds = float(data)
            if not 0 <= seconds <= MAX_SECONDS_AHEAD:  # also refuses NaN
                self.fail("invalid")
            return timezone.now() + timedelta(seconds=seconds)
        try:  # parse_datetime raises for a well-formed impossible date (2030-02-30)
            parsed = parse_datetime(str(data).strip().replace("T", " ", 1))
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail("invalid")
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def to_representation(self, value):
        return utc_text(value)


@extend_schema_field(OpenApiTypes.STR)
class UtcTextField(serializers.ReadOnlyField):
    """A stored time answered as ``YYYY-MM-DD HH:MM:SS`` UTC (null when unset)."""

    def to_representation(self, value):
        return utc_text(value)


class HttpUrlField(serializers.URLField):
    """A URL whose scheme is http or https."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value and not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("Only http and https URLs are accepted.")
        return value


class PhoneNumberField(serializers.CharField):
    """A number to dial: digits with an optional leading ``+`` (2–20 digits); spaces, dashes,
    dots, slashes and parentheses are dropped, so ``+1 (500) 555-0001`` is ``+15005550001``."""

    default_error_messages = {"number": "Use digits with an optional leading '+'."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = NUMBER_SEPARATORS.sub("", super().to_internal_value(data))
        if (value or not self.allow_blank) and not NUMBER.fullmatch(value):
            self.fail("number")
        return value
