"""Serializer fields shared by the API faces."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 1})
class FlagField(serializers.BooleanField):
    """A yes/no field as the Comms spec writes it ("active: 1 — 1 for active, 0 for
    disabled"): answered as 1 or 0; read from 1/0, true/false or "yes"/"no"."""

    def to_representation(self, value) -> int:
        return int(bool(value))


@extend_schema_field({"type": "integer", "nullable": True, "example": 1518705479})
class UnixTimeField(serializers.Field):
    """A moment answered as unix seconds, as the Comms spec writes spool times (read-only)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> int:
        return int(value.timestamp())
