"""Who sees what: a user sees its own client's rows; global staff see every client's."""

from django.db.models import QuerySet

GLOBAL_PERMISSION = "accounts.access_all_clients"


def user_sees_all_clients(user) -> bool:
    """True for superusers and staff holding the global permission."""
    return bool(user and user.is_active and user.has_perm(GLOBAL_PERMISSION))


def queryset_for_user(queryset: QuerySet, user, *, field: str = "client") -> QuerySet:
    """Rows of ``queryset`` that ``user`` may see (filtered on ``field``)."""
    if user_sees_all_clients(user):
        return queryset
    if user is None or user.client_id is None:
        return queryset.none()
    return queryset.filter(**{field: user.client_id})
