"""The built-in roles (Django groups) and the permissions each one carries.

Synced after every migrate; only adds what is missing, so staff may extend a role in
the admin without the next deploy undoing it.
"""

from django.contrib.auth.models import Group, Permission

from apps.accounts.tenancy import GLOBAL_PERMISSION

# App labels whose permissions are part of the tenant-facing model.
DOMAIN_APP_LABELS = (
    "accounts", "contacts", "providers", "delivery", "content", "programs",
    "transmissions", "campaigns", "jobs", "callbacks", "cases",
)  # fmt: skip
# Permissions no tenant role may carry: they reach across clients.
GLOBAL_ONLY = {GLOBAL_PERMISSION, "accounts.add_client", "accounts.change_client",
               "accounts.delete_client"}  # fmt: skip
# What a plain "user" may not do: manage users and providers. It may read and update the
# client's communication accounts (as ICTCore's "user" role: account_read/_list/_update).
ADMIN_ONLY_APP_LABELS = ("accounts", "providers")
USER_EXTRA = {"accounts.view_account", "accounts.change_account"}

ROLES = {
    "admin": "Manages its client: users, roles, providers and all communication work.",
    "user": "Runs communication work: contacts, messages, programs, transmissions, jobs.",
}


def _name(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def role_permissions(role: str) -> list[Permission]:
    """The permissions the built-in ``role`` carries."""
    candidates = Permission.objects.select_related("content_type").filter(
        content_type__app_label__in=DOMAIN_APP_LABELS
    )
    chosen = [p for p in candidates if _name(p) not in GLOBAL_ONLY]
    if role == "user":
        chosen = [
            p
            for p in chosen
            if p.content_type.app_label not in ADMIN_ONLY_APP_LABELS or _name(p) in USER_EXTRA
        ]
    else:
        chosen += list(
            Permission.objects.filter(
                content_type__app_label="auth", codename__in=["view_group", "view_permission"]
            )
        )
    return chosen


def roles_sync(sender=None, **kwargs) -> None:
    """Create the built-in roles and add any permission they are missing."""
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*role_permissions(name))
