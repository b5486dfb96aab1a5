"""A quicker run of a DRF serializer's validation, for inputs that are plainly valid.

DRF spends most of a flat serializer's validation in its generic machinery (empty-value
checks, ``get_value``, validator lists, a dozen calls per field), not in the checks
themselves; on ``POST /queue/`` that machinery was half of the CPU of intake. A serializer
that mixes in ``FastValidationMixin`` validates each field with a small function built once
from the field (its type and arguments), and hands anything unusual to DRF:

- a field value the small function is not sure of goes through that field's own
  ``run_validation`` (so its result is DRF's, whatever the input);
- any validation error, from a field or from ``validate()``, makes the whole input run through
  DRF's ``Serializer.run_validation``, so error bodies are exactly DRF's.

The serializer classes stay the single definition (OpenAPI reads the same fields), and a
property test (tests/core/test_fast_validation.py) holds the two paths equal.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from rest_framework import serializers
from rest_framework.fields import (
    ProhibitNullCharactersValidator,
    ProhibitSurrogateCharactersValidator,
    SkipField,
    _UnvalidatedField,
    empty,
)

_CHAR_VALIDATORS = (
    MaxLengthValidator,
    MinLengthValidator,
    ProhibitNullCharactersValidator,
    ProhibitSurrogateCharactersValidator,
)
_SKIP = object()  # an optional field without a default was not given: leave it out


class _Unsure(Exception):
    """The quick check cannot vouch for a value; DRF's own field validation decides."""


def _char_check(field: serializers.CharField) -> Callable:
    """``CharField``'s rules for str and int input (blank, trim, lengths, NUL characters);
    extra validators (URL, email) still run, as DRF's ``run_validators``."""
    allow_blank, trim = field.allow_blank, field.trim_whitespace
    longest, shortest = field.max_length, field.min_length
    extra = any(not isinstance(v, _CHAR_VALIDATORS) for v in field.validators)

    def check(value):
        kind = type(value)
        if kind is not str and kind is not int:
            raise _Unsure
        text = str(value).strip() if trim else str(value)
        if not text:
            if not allow_blank:
                raise _Unsure
            return ""
        if (longest is not None and len(text) > longest) or "\x00" in text:
            raise _Unsure
        if (shortest is not None and len(text) < shortest) or extra or not text.isascii():
            field.run_validators(text)  # surrogates and the extra validators, as DRF runs them
        return text

    return check


def _integer_check(field: serializers.IntegerField) -> Callable:
    lowest, highest = field.min_value, field.max_value
    extra = any(not isinstance(v, MaxValueValidator | MinValueValidator) for v in field.validators)

    def check(value):
        if type(value) is not int or extra:
            raise _Unsure
        if (lowest is not None and value < lowest) or (highest is not None and value > highest):
            raise _Unsure
        return value

    return check


def _boolean_check(value):
    if value is True or value is False:
        return value
    raise _Unsure


def _dict_check(field: serializers.DictField) -> Callable | None:
    """A JSON object whose values DRF would not look at (``DictField()`` without a child)."""
    if not isinstance(field.child, _UnvalidatedField) or field.validators:
        return None
    allow_empty = field.allow_empty

    def check(value):
        if type(value) is not dict or not (value or allow_empty):
            raise _Unsure
        return {str(key): item for key, item in value.items()}

    return check


def _quick_check(field: serializers.Field) -> Callable | None:
    """The small function for a field DRF would validate in the standard way; None when the
    field's class changes that behaviour (it then always runs its own ``run_validation``)."""
    kind = type(field)
    for base, build in _STANDARD_CHECKS.items():
        if isinstance(field, base) and _behaves_like(kind, base):
            return build(field)
    return None


_STANDARD_CHECKS = {  # DRF field class → builder of its quick check
    serializers.CharField: _char_check,
    serializers.IntegerField: _integer_check,
    serializers.BooleanField: lambda _field: _boolean_check,
    serializers.DictField: _dict_check,
}


def _behaves_like(kind: type, base: type) -> bool:
    """True when ``kind`` (a subclass of ``base``) validates exactly as ``base`` does."""
    methods = ("run_validation", "to_internal_value", "validate_empty_values", "get_value")
    return all(getattr(kind, name) is getattr(base, name) for name in methods)


class _FieldPlan:
    """How to read and validate one writable field of a bound serializer."""

    __slots__ = ("field", "name", "attr", "check", "method", "missing")

    def __init__(self, serializer: serializers.Serializer, field: serializers.Field):
        self.field, self.name = field, field.field_name
        self.attr = field.source_attrs[0]
        self.check = _quick_check(field)
        self.method = getattr(serializer, f"validate_{field.field_name}", None)
        self.missing = None if field.required else _missing_value(field)

    def value_of(self, data: dict):
        """The validated value, ``_SKIP`` to leave it out; raises DRF's ValidationError."""
        value = data.get(self.name, empty)
        if value is empty:
            value = self.field.run_validation(empty) if self.missing is None else self.missing()
        elif value is None or self.check is None:
            value = self.field.run_validation(value)
        else:
            try:
                value = self.check(value)
            except _Unsure:
                value = self.field.run_validation(value)
        if value is not _SKIP and self.method is not None:
            value = self.method(value)
        return value


def _missing_value(field: serializers.Field) -> Callable:
    if field.default is empty:
        return lambda: _SKIP
    return field.get_default


def _serializer_plan(serializer: serializers.Serializer) -> list[_FieldPlan] | None:
    """The plans of the serializer's writable fields; None when it is not a flat serializer
    of simple sources (DRF then validates it as usual)."""
    if serializer.validators or getattr(serializer, "partial", False):
        return None
    fields = list(serializer._writable_fields)
    if any(len(field.source_attrs) != 1 for field in fields):
        return None
    return [_FieldPlan(serializer, field) for field in fields]


class FastValidationMixin:
    """Mix into a ``serializers.Serializer``: same results and errors, less CPU per input."""

    def run_validation(self, data=empty):
        plan = self.__dict__.get("_fast_plan", empty)
        if plan is empty:
            plan = self.__dict__["_fast_plan"] = _serializer_plan(self)
        if plan is None or type(data) is not dict:  # forms' QueryDicts read values differently
            return super().run_validation(data)
        try:
            attrs = {}
            for field_plan in plan:
                value = field_plan.value_of(data)
                if value is not _SKIP:
                    attrs[field_plan.attr] = value
            return self.validate(attrs)
        except (serializers.ValidationError, DjangoValidationError, SkipField):
            # DRF's own path builds the error exactly as it always does.
            return super().run_validation(data)
