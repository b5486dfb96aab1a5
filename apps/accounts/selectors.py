"""Reads of users, roles and permissions, scoped to what the caller may see."""

from django.contrib.auth.models import Group, Permission
from django.db.models import QuerySet

from apps.accounts.models import User
from apps.accounts.roles import DOMAIN_APP_LABELS
from apps.accounts.tenancy import queryset_for_user


def user_list(*, actor: User) -> QuerySet[User]:
    """Users the actor may see, with roles and direct permissions prefetched."""
    queryset = User.objects.prefetch_related("groups", "user_permissions__content_type")
    return queryset_for_user(queryset, actor)


def role_list() -> QuerySet[Group]:
    """Every role (Django group) by id: roles are shared by all clients, so this is not scoped."""
    return Group.objects.order_by("id")


def permission_list() -> QuerySet[Permission]:
    """Permissions that mean something in Fusion (domain apps, roles, permissions)."""
    return (
        Permission.objects.select_related("content_type")
        .filter(content_type__app_label__in=(*DOMAIN_APP_LABELS, "auth"))
        .order_by("id")
    )
