"""Provider API shapes (the Comms spec's Provider object); the password is write-only."""

import json

from rest_framework import serializers

from apps.core.serializers import FlagField
from apps.providers.catalog import GATEWAY_FLAGS, PROVIDER_TYPES, SERVICE_FLAGS, channels_of_flag
from apps.providers.inbound import provider_inbound_url
from apps.providers.models import Provider

_ALL_FLAGS = sum(SERVICE_FLAGS.values())


class ProviderSerializer(serializers.ModelSerializer):
    """Read and write a provider. ``settings`` may be an object or a JSON string."""

    provider_id = serializers.IntegerField(source="id", read_only=True)
    password = serializers.CharField(write_only=True, required=False, allow_blank=True)
    settings = serializers.JSONField(required=False)
    channels = serializers.SerializerMethodField()
    gateway_flag = serializers.SerializerMethodField()
    inbound_url = serializers.SerializerMethodField()
    register = FlagField(required=False)
    active = FlagField(required=False)

    class Meta:
        model = Provider
        fields = [
            "provider_id", "name", "type", "service_flag", "channels", "gateway_flag", "node_id",
            "host", "port", "username", "password", "dialstring", "prefix", "settings",
            "description", "register", "weight", "active", "max_per_second", "inbound_url",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]

    def get_channels(self, provider: Provider) -> list[str]:
        return channels_of_flag(provider.service_flag)

    def get_gateway_flag(self, provider: Provider) -> int:
        """The spec lists gateway_flag; Fusion derives it from the type (see docs)."""
        return GATEWAY_FLAGS[provider.type]

    def get_inbound_url(self, provider: Provider) -> str:
        """Where the vendor posts received messages (append /sms, /email or /fax)."""
        return provider_inbound_url(provider.id)

    def validate_type(self, value: str) -> str:
        if self.instance is not None and value != self.instance.type:
            raise serializers.ValidationError("The type of a provider cannot be changed.")
        return value

    def validate_service_flag(self, value: int) -> int:
        if value <= 0 or value & ~_ALL_FLAGS:
            raise serializers.ValidationError(f"Use a bit mask of {SERVICE_FLAGS}.")
        return value

    def validate_settings(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip() else {}
            except ValueError as exc:
                raise serializers.ValidationError("Not a JSON object.") from exc
        if not isinstance(value, dict):
            raise serializers.ValidationError("Must be a JSON object.")
        return value

    def validate(self, attrs: dict) -> dict:
        kind = attrs.get("type") or getattr(self.instance, "type", None)
        flag = attrs.get("service_flag") or getattr(self.instance, "service_flag", 0)
        unsupported = [c for c in channels_of_flag(flag) if c not in PROVIDER_TYPES.get(kind, ())]
        if unsupported:
            raise serializers.ValidationError(
                {"service_flag": [f"A {kind} provider cannot serve: {', '.join(unsupported)}."]}
            )
        return attrs


class ProviderCreatedSerializer(serializers.Serializer):
    """Answer of ``POST /api/providers``: the new provider's id."""

    provider_id = serializers.IntegerField()
