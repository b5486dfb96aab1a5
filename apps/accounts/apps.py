from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Tenants (Client), users, roles and permissions, and authentication."""

    name = "apps.accounts"
    label = "accounts"

    def ready(self) -> None:
        from apps.accounts.roles import roles_sync

        post_migrate.connect(roles_sync, dispatch_uid="accounts.roles_sync")
