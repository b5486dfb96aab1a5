"""Query-string filters of the users, roles and permissions lists (unknown keys are ignored)."""

import django_filters
from django.contrib.auth.models import Group, Permission

from apps.accounts.models import Account, User
from apps.core.filters import FlagFilter


class UserFilter(django_filters.FilterSet):
    """``?username=&email=&active=1&first_name=…``: exact matches, as ICTCore's user search."""

    user_id = django_filters.NumberFilter(field_name="id")
    email = django_filters.CharFilter(field_name="email", lookup_expr="iexact")
    active = FlagFilter(field_name="is_active")
    client_id = django_filters.NumberFilter(field_name="client_id")
    before = django_filters.IsoDateTimeFilter(field_name="date_joined", lookup_expr="lt")
    after = django_filters.IsoDateTimeFilter(field_name="date_joined", lookup_expr="gte")

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "phone", "company", "country"]


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


class AccountFilter(django_filters.FilterSet):
    """ICTCore's account search: id exact, text fields contain, ``user_id`` the owner."""

    account_id = django_filters.NumberFilter(field_name="id")
    user_id = django_filters.NumberFilter(field_name="owner_id")
    active = FlagFilter()
    before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Account
        fields = {
            "type": ["exact"],
            "username": ["icontains"],
            "phone": ["icontains"],
            "email": ["icontains"],
            "first_name": ["icontains"],
            "last_name": ["icontains"],
        }
