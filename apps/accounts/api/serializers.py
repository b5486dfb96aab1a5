"""Users API shapes, as the Comms spec's User object (plus ids and roles); never passwords."""

import re
import zoneinfo

import phonenumbers
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from rest_framework import serializers

from apps.accounts.models import Client, User
from apps.accounts.roles import ROLES
from apps.core.serializers import FlagField

_TIMEZONES = zoneinfo.available_timezones()
_PHONE = re.compile(r"\+?[0-9][0-9 ()./-]{2,30}")


class UserSerializer(serializers.ModelSerializer):
    """A user as answers show it."""

    user_id = serializers.IntegerField(source="id", read_only=True)
    active = FlagField(source="is_active", read_only=True)
    client_id = serializers.IntegerField(read_only=True)
    roles = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "user_id", "username", "first_name", "last_name", "phone", "email", "address",
            "company", "country", "timezone", "active", "client_id", "roles", "permissions",
            "last_login", "date_joined",
        ]  # fmt: skip
        read_only_fields = fields

    def get_roles(self, user: User) -> list[int]:
        return sorted(group.id for group in user.groups.all())

    def get_permissions(self, user: User) -> list[str]:
        return sorted(
            f"{p.content_type.app_label}.{p.codename}" for p in user.user_permissions.all()
        )


class UserWriteSerializer(serializers.ModelSerializer):
    """Create and update input. ``passwd`` (the spec's name) is accepted for ``password``."""

    password = serializers.CharField(write_only=True, required=False, trim_whitespace=False)
    passwd = serializers.CharField(write_only=True, required=False, trim_whitespace=False)
    active = FlagField(source="is_active", required=False)
    client_id = serializers.PrimaryKeyRelatedField(
        source="client", queryset=Client.objects.all(), required=False
    )

    class Meta:
        model = User
        fields = [
            "username", "password", "passwd", "first_name", "last_name", "phone", "email",
            "address", "company", "country", "timezone", "active", "client_id",
        ]  # fmt: skip

    def validate_email(self, value: str) -> str:
        clash = User.objects.filter(email__iexact=value).exclude(
            pk=getattr(self.instance, "pk", None)
        )
        if value and clash.exists():
            raise serializers.ValidationError("A user with that email already exists.")
        return value.lower()

    def validate_phone(self, value: str) -> str:
        if value and not _PHONE.fullmatch(value.strip()):
            raise serializers.ValidationError("Not a phone number.")
        return value.strip()

    def validate_country(self, value: str) -> str:
        if value and value.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise serializers.ValidationError("Not an ISO 3166-1 alpha-2 country code.")
        return value.upper()

    def validate_timezone(self, value: str) -> str:
        if value and value not in _TIMEZONES:
            raise serializers.ValidationError("Not an IANA time zone name.")
        return value

    def validate(self, attrs: dict) -> dict:
        password = attrs.pop("password", None) or attrs.pop("passwd", None)
        attrs.pop("passwd", None)
        if self.instance is None and not password:
            raise serializers.ValidationError({"password": ["This field is required."]})
        if self.instance is None and not attrs.get("username"):
            raise serializers.ValidationError({"username": ["This field is required."]})
        if password:
            candidate = self.instance or User(**{k: v for k, v in attrs.items() if k != "client"})
            try:
                validate_password(password, candidate)
            except Exception as exc:
                raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        attrs["password"] = password
        return attrs


class PasswordSerializer(serializers.Serializer):
    """A new password, checked by Django's password validators against the target user."""

    password = serializers.CharField(trim_whitespace=False)

    def validate_password(self, value: str) -> str:
        validate_password(value, self.context.get("user"))
        return value


class UserCreatedSerializer(serializers.Serializer):
    """Answer of ``POST /api/users``: the new user's id."""

    user_id = serializers.IntegerField()


class RoleSerializer(serializers.ModelSerializer):
    """A role (Django group) and the permissions it carries."""

    role_id = serializers.IntegerField(source="id", read_only=True)
    description = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = Group
        fields = ["role_id", "name", "description", "permissions"]

    def get_description(self, group: Group) -> str:
        return ROLES.get(group.name, "")

    def get_permissions(self, group: Group) -> list[str]:
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all())


class PermissionSerializer(serializers.ModelSerializer):
    """A permission: ``name`` is what ``has_perm`` checks, ``description`` the human text."""

    permission_id = serializers.IntegerField(source="id", read_only=True)
    name = serializers.SerializerMethodField()
    description = serializers.CharField(source="name", read_only=True)

    class Meta:
        model = Permission
        fields = ["permission_id", "name", "description"]

    def get_name(self, permission: Permission) -> str:
        return f"{permission.content_type.app_label}.{permission.codename}"
