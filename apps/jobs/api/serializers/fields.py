"""Field types the Queue face shares: its time format, http(s) URLs, phone numbers, maps."""

import datetime as dt
import re

import phonenumbers
from django.core.validators import URLValidator
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

# The spec's format, in and out: "2024-01-15T10:30:00", UTC.
QUEUE_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token


class QueueDateTimeField(serializers.DateTimeField):
    """``YYYY-MM-DDTHH:MM:SS`` in UTC; input may carry an offset (``+05:30``, ``Z``)."""

    default_error_messages = {
        "invalid": "Use YYYY-MM-DDTHH:MM:SS (UTC), optionally with an offset such as +05:30 or Z.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("format", QUEUE_TIME_FORMAT)
        kwargs.setdefault("default_timezone", dt.UTC)
        super().__init__(**kwargs)


class HttpUrlField(serializers.CharField):
    """An absolute http or https URL (callbacks, files, webhook targets)."""

    default_error_messages = {"invalid": "Enter an http or https URL."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2048)
        super().__init__(**kwargs)
        validator = URLValidator(schemes=["http", "https"], message=self.error_messages["invalid"])
        self.validators.append(validator)


class EmailListField(serializers.ListField):
    """A list of email addresses; one string (commas allowed) is read as a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.EmailField())
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [part.strip() for part in data.split(",") if part.strip()]
        return super().to_internal_value(data)


class StringMapField(serializers.DictField):
    """An object whose values are strings; numbers and booleans are turned into strings."""

    default_error_messages = {"not_scalar": "Values must be strings, not objects or lists."}

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.CharField(allow_blank=True, max_length=8192))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            if any(isinstance(value, dict | list) for value in data.values()):
                self.fail("not_scalar")
            data = {key: _scalar_text(value) for key, value in data.items()}
        return super().to_internal_value(data)


class HeaderMapField(StringMapField):
    """HTTP headers: token names, values without line breaks (no header injection)."""

    default_error_messages = {
        "bad_name": "{name!r} is not a valid header name.",
        "bad_value": "The value of {name!r} may not contain line breaks.",
    }

    def to_internal_value(self, data):
        headers = super().to_internal_value(data)
        for name, value in headers.items():
            if not _HEADER_NAME.fullmatch(name):
                self.fail("bad_name", name=name)
            if "\r" in value or "\n" in value:
                self.fail("bad_value", name=name)
        return headers


def _scalar_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class PhoneError(Exception):
    """A contact that cannot become an E.164 number; ``field`` names the culprit."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _region_of(country_code: str) -> str | None:
    """ "91", "+91" or "IN" → a region phonenumbers can parse with; None when unknown."""
    code = country_code.strip().removeprefix("+")
    if code.isdigit():
        region = phonenumbers.region_code_for_country_code(int(code))
        return None if region == phonenumbers.UNKNOWN_REGION else region
    return code.upper() if code.upper() in phonenumbers.SUPPORTED_REGIONS else None


def e164_of(contact: str, country_code: str | None) -> str:
    """``9876543210`` with ``91`` → ``+919876543210``; a ``+`` number is read as it is."""
    contact = contact.strip()
    if contact.startswith("+"):
        text, region = contact, None
    elif not country_code:
        raise PhoneError("countryCode", "Required unless contact starts with +.")
    elif (region := _region_of(str(country_code))) is None:
        raise PhoneError("countryCode", f"Unknown country code {country_code}.")
    else:
        # Non-geographic codes (e.g. 800) have no region to parse against.
        code = str(country_code).strip().removeprefix("+")
        text, region = (f"+{code}{contact}", None) if region == "001" else (contact, region)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise PhoneError("contact", f"{contact} is not a valid phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as ``{"0.data.contact": [msg]}`` (dotted paths, as the face answers)."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = prefix if key in ("non_field_errors", "__all__") else _join(prefix, key)
            for path, messages in flatten_errors(value, name).items():
                flat.setdefault(path, []).extend(messages)
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            if item:
                for path, messages in flatten_errors(item, _join(prefix, index)).items():
                    flat.setdefault(path, []).extend(messages)
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(message) for message in messages]}


def _join(prefix: str, key) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


@extend_schema_serializer(many=False)  # examples are whole arrays: do not wrap them again
class _ArrayOf(serializers.ListSerializer):
    pass


def array_of(child: type[serializers.Serializer]) -> serializers.ListSerializer:
    """A request body that is a JSON array of ``child``, for the OpenAPI description."""
    return _ArrayOf(child=child())
