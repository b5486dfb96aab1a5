"""Writes to tenants and users. Every function is keyword-only and checks nothing about HTTP."""

import secrets
from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied

from apps.accounts.models import Account, Client, User
from apps.accounts.tenancy import user_sees_all_clients


def user_create(*, client: Client | None, password: str, **fields) -> User:
    """Create a user of ``client`` with a hashed password."""
    user = User(client=client, **fields)
    user.set_password(password)
    user.save()
    return user


def user_update(*, user: User, password: str | None = None, **fields) -> User:
    """Change the given fields (and the password when given)."""
    for name, value in fields.items():
        setattr(user, name, value)
    if password:
        user.set_password(password)
    user.save()
    return user


def user_password_set(*, user: User, password: str) -> User:
    """Set ``user``'s password (hashed); validating it is the caller's job (PasswordSerializer)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def _ensure_grantable(*, actor: User, permissions) -> None:
    """A tenant admin may only hand out permissions it holds itself (no escalation)."""
    if user_sees_all_clients(actor):
        return
    missing = [
        f"{p.content_type.app_label}.{p.codename}"
        for p in permissions
        if not actor.has_perm(f"{p.content_type.app_label}.{p.codename}")
    ]
    if missing:
        raise PermissionDenied(
            f"You cannot grant permissions you do not hold: {', '.join(missing)}"
        )


def user_role_add(*, actor: User, user: User, role: Group) -> User:
    """Give ``user`` the role, if ``actor`` holds every permission the role carries."""
    _ensure_grantable(actor=actor, permissions=role.permissions.select_related("content_type"))
    user.groups.add(role)
    return user


def user_role_remove(*, user: User, role: Group) -> User:
    """Take the role from ``user``; no escalation check, as removing a role grants nothing."""
    user.groups.remove(role)
    return user


def user_permission_add(*, actor: User, user: User, permission: Permission) -> User:
    """Grant one permission directly, if ``actor`` holds it."""
    _ensure_grantable(actor=actor, permissions=[permission])
    user.user_permissions.add(permission)
    return user


def user_permission_remove(*, user: User, permission: Permission) -> User:
    """Revoke a directly granted permission (one held through a role stays); no escalation check."""
    user.user_permissions.remove(permission)
    return user


def user_delete(*, user: User) -> None:
    """Delete the user with its case memberships and auth codes; accounts it owned and rows it
    created stay, without a user.
    """
    user.delete()


def _sandbox_provider_ensure(client: Client) -> None:
    """Give a client without providers sandbox ones for every channel (the embedded default)."""
    from apps.providers.catalog import SERVICE_FLAGS, flag_of_channels
    from apps.providers.models import Provider

    if not Provider.objects.filter(client=client).exists():
        # Calls go to the telephony simulator (answers, rings, hangs up like a network);
        # every other channel to the sandbox outbox.
        flag = flag_of_channels([c for c in SERVICE_FLAGS if c != "voice"])
        Provider.objects.create(client=client, name="Sandbox", type="sandbox", service_flag=flag)
        voice = flag_of_channels(["voice"])
        Provider.objects.create(
            client=client, name="Simulator", type="simulator", service_flag=voice
        )


@transaction.atomic
def client_bootstrap(
    *,
    code: str,
    name: str,
    username: str,
    email: str,
    password: str | None,
    superuser: bool,
    sandbox: bool = False,
) -> tuple[Client, User, str | None]:
    """Create (or find) a client and its admin user; returns the generated password, if any.

    Idempotent: an existing user keeps its password and nothing is printed for it.
    """
    client, _ = Client.objects.get_or_create(code=code, defaults={"name": name})
    if sandbox:
        _sandbox_provider_ensure(client)
    user = User.objects.filter(username=username).first()
    if user is not None:
        return client, user, None
    generated = None if password else secrets.token_urlsafe(12)
    user = user_create(
        client=client,
        password=password or generated,
        username=username,
        email=email,
        is_staff=True,
        is_superuser=superuser,
    )
    user.groups.add(Group.objects.get_or_create(name="admin")[0])
    return client, user, generated


WEBHOOK_SECRET_GRACE = timedelta(hours=24)


def client_webhook_secret_rotate(*, client: Client) -> Client:
    """New callback-signing secret; the old one keeps signing alongside for 24 hours."""
    from apps.accounts.models import _webhook_secret

    client.settings = {
        **client.settings,
        "previous_webhook_secret": client.webhook_secret,
        "previous_webhook_secret_until": (timezone.now() + WEBHOOK_SECRET_GRACE).isoformat(),
    }
    client.webhook_secret = _webhook_secret()
    client.save(update_fields=["settings", "webhook_secret", "updated_at"])
    return client


def account_create(*, client: Client, owner: User | None, **fields) -> Account:
    """Create a communication identity of the client (passwords encrypted by their fields)."""
    return Account.objects.create(client=client, owner=owner, **fields)


def account_update(*, account, settings: dict | None = None, **fields):
    """Change the given fields; ``settings`` is merged into the stored ones, as ICTCore does."""
    for name, value in fields.items():
        if name in ("passwd", "passwd_pin") and not value:
            continue  # an empty secret keeps the stored one
        setattr(account, name, value)
    if settings:
        account.settings = {**account.settings, **settings}
    account.save()
    return account


def account_setting_set(*, account, name: str, value):
    """Set one key of the account's ``settings``, keeping the others; returns the account."""
    account.settings = {**account.settings, name: value}
    account.save(update_fields=["settings", "updated_at"])
    return account


def account_setting_delete(*, account, name: str):
    """Remove one key of the account's ``settings`` (a missing key is no error); returns it."""
    account.settings = {k: v for k, v in account.settings.items() if k != name}
    account.save(update_fields=["settings", "updated_at"])
    return account


def account_owner_set(*, account, owner: User | None):
    """Give the account to another user of the client, or free it (None)."""
    account.owner = owner
    account.save(update_fields=["owner", "updated_at"])
    return account


def account_delete(*, account) -> None:
    """Delete the account and its program subscriptions; transmissions and campaigns keep a
    null account.
    """
    account.delete()
