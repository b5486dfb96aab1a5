"""POST/GET /mapping/ (keyword dictionary) and POST /update_consent/ (WhatsApp consent)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.jobs.api.serializers.fields import QueueDateTimeField
from apps.jobs.models import KeywordMapping, WhatsAppConsent

MAX_MAPPINGS = 1000
OPT_IN_TYPES = {"opt_in", "optin", "subscribe", "1"}
OPT_OUT_TYPES = {"opt_out", "optout", "unsubscribe", "0"}


class MappingItemSerializer(serializers.Serializer):
    """``{"keyword": "term1", "data": {...}}``: one dictionary entry to insert or replace."""

    keyword = serializers.CharField(max_length=255)
    data = serializers.JSONField()


class MappingSerializer(serializers.ModelSerializer):
    """A stored dictionary entry."""

    updated_at = QueueDateTimeField(read_only=True)

    class Meta:
        model = KeywordMapping
        fields = ["keyword", "data", "updated_at"]
        read_only_fields = fields


class MappingResponseSerializer(serializers.Serializer):
    """``job_ids`` stays empty: the upsert is done at once, no job is queued."""

    code = serializers.IntegerField(default=200)
    job_ids = serializers.ListField(child=serializers.CharField())
    keywords = serializers.ListField(child=serializers.CharField())


@extend_schema_field(
    {
        "oneOf": [{"type": "string"}, {"type": "integer", "enum": [0, 1]}],
        "example": "opt_out",
    }
)
class ConsentTypeField(serializers.Field):
    """``opt_in``/``optin``/``subscribe``/1 → opted in; ``opt_out``/``optout``/``unsubscribe``/0
    → opted out."""

    default_error_messages = {
        "invalid": "Use opt_in, optin, subscribe or 1; or opt_out, optout, unsubscribe or 0."
    }

    def to_internal_value(self, data) -> str:
        text = str(int(data)) if isinstance(data, bool | int) else str(data).strip().lower()
        if text in OPT_IN_TYPES:
            return WhatsAppConsent.State.OPTED_IN
        if text in OPT_OUT_TYPES:
            return WhatsAppConsent.State.OPTED_OUT
        self.fail("invalid")

    def to_representation(self, value):
        return value


class ConsentSerializer(serializers.Serializer):
    """``{"type", "cache_key", "details_obj"}``."""

    type = ConsentTypeField()
    cache_key = serializers.CharField(max_length=255)
    details_obj = serializers.DictField(required=False, default=dict)


class ConsentResponseSerializer(serializers.Serializer):
    """Answer of update_consent: the key and its consent state now."""

    code = serializers.IntegerField(default=200)
    cache_key = serializers.CharField()
    state = serializers.ChoiceField(choices=WhatsAppConsent.State.choices)
