"""Account (communication identity) shapes; passwd and passwd_pin are write-only."""

import re

from rest_framework import serializers

from apps.accounts.models import Account
from apps.core.serializers import FlagField

_PHONE = re.compile(r"\+?[0-9*#]{2,31}")


class AccountSerializer(serializers.ModelSerializer):
    """A communication identity: account, did, extension or eaddress.

    ``passwd`` and ``passwd_pin`` are write-only; ``username`` is unique per client and type.
    """

    account_id = serializers.IntegerField(source="id", read_only=True)
    user_id = serializers.IntegerField(source="owner_id", read_only=True)
    passwd = serializers.CharField(write_only=True, required=False, allow_blank=True)
    passwd_pin = serializers.CharField(write_only=True, required=False, allow_blank=True)
    settings = serializers.DictField(required=False)
    active = FlagField(required=False)

    class Meta:
        model = Account
        fields = [
            "account_id", "type", "username", "passwd", "passwd_pin", "first_name", "last_name",
            "phone", "email", "address", "active", "settings", "user_id", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        # Uniqueness (client, type, username) is checked in validate(): the client is implicit.
        validators: list = []

    def validate_phone(self, value: str) -> str:
        value = value.replace(" ", "").replace("-", "")
        if value and not _PHONE.fullmatch(value):
            raise serializers.ValidationError("Not a phone number, DID or extension.")
        return value

    def validate(self, attrs: dict) -> dict:
        client_id = self.context["client_id"]
        kind = attrs.get("type") or getattr(self.instance, "type", Account.Type.ACCOUNT)
        username = attrs.get("username") or getattr(self.instance, "username", None)
        if not username:
            raise serializers.ValidationError({"username": ["This field is required."]})
        clash = Account.objects.filter(client_id=client_id, type=kind, username=username)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(
                {"username": [f"An account of type {kind} with this username exists."]}
            )
        return attrs


class AccountCreatedSerializer(serializers.Serializer):
    """Answer of ``POST /api/accounts``: the new account's id."""

    account_id = serializers.IntegerField()


class SettingValueSerializer(serializers.Serializer):
    """``{"value": …}`` (``{"data": …}`` is accepted too, as ICTCore does)."""

    value = serializers.JSONField(required=False)
    data = serializers.JSONField(required=False)

    def validate(self, attrs: dict) -> dict:
        if "value" not in attrs and "data" not in attrs:
            raise serializers.ValidationError({"value": ["This field is required."]})
        return {"value": attrs["value"] if "value" in attrs else attrs["data"]}
