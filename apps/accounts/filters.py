"""Query-string filters of the users, roles and permissions lists (unknown keys are ignored)."""

import django_filters
from django.contrib.auth.models import Group, Permission

from apps.accounts.models import Account, User
from apps.core.filters import FieldFilterSet, FlagFilter, MomentFilter, contains, exact


class UserFilter(FieldFilterSet):
    """``?username=&email=&active=1&first_name=…``: exact matches, as ICTCore's user search
    (email ignoring case); ``before``/``after`` compare when the user joined."""

    user_id = django_filters.NumberFilter(field_name="id")
    email = django_filters.CharFilter(field_name="email", lookup_expr="iexact")
    active = FlagFilter(field_name="is_active")
    before = MomentFilter(field_name="date_joined", lookup_expr="lt")
    after = MomentFilter(field_name="date_joined", lookup_expr="gte")

    class Meta:
        model = User
        fields = exact(
            "username", "first_name", "last_name", "phone", "address", "company", "country",
            "timezone", "client_id",
        )  # fmt: skip


class RoleFilter(django_filters.FilterSet):
    """``?name=`` matches the start of the role name."""

    role_id = django_filters.NumberFilter(field_name="id")
    name = django_filters.CharFilter(lookup_expr="istartswith")

    class Meta:
        model = Group
        fields: list[str] = []


class PermissionFilter(django_filters.FilterSet):
    """``?name=`` matches the start of the codename (``add_`` …), ``?app=`` the app label."""

    permission_id = django_filters.NumberFilter(field_name="id")
    name = django_filters.CharFilter(field_name="codename", lookup_expr="istartswith")
    app = django_filters.CharFilter(field_name="content_type__app_label")

    class Meta:
        model = Permission
        fields: list[str] = []


class AccountFilter(FieldFilterSet):
    """ICTCore's account search: id and ``type`` exact, text fields contain the value,
    ``user_id`` the owner, ``before``/``after`` the creation time."""

    account_id = django_filters.NumberFilter(field_name="id")
    user_id = django_filters.NumberFilter(field_name="owner_id")
    before = MomentFilter(field_name="created_at", lookup_expr="lt")
    after = MomentFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Account
        fields = {
            **exact("type", "active"),
            **contains("username", "phone", "email", "first_name", "last_name", "address"),
        }
