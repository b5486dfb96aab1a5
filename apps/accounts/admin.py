"""Back-office pages for clients, users (with roles and permissions), roles and accounts.

``TenantAdminMixin`` is what every tenant-owned page builds on: staff without the global
permission see, choose and filter only their own client's rows.
"""

import hashlib

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from apps.accounts.models import Account, Client, User
from apps.accounts.roles import GLOBAL_ONLY
from apps.accounts.services import client_webhook_secret_rotate
from apps.accounts.tenancy import queryset_for_user, user_sees_all_clients
from apps.core.admin_helpers import SecretFieldsMixin

FILTER_CHOICES_MAX = 500  # rows a related-row filter offers at most


def scoped_for_user(queryset, user):
    """``queryset`` limited to what ``user`` may see, when its rows belong to clients."""
    if queryset.model is Client:
        return queryset_for_user(queryset, user, field="pk")
    if any(field.name == "client" for field in queryset.model._meta.concrete_fields):
        return queryset_for_user(queryset, user)
    return queryset


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """A filter on a related row offering only the rows the staff member may see."""

    def field_choices(self, field, request, model_admin):
        queryset = scoped_for_user(field.related_model._default_manager.all(), request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(row.pk, str(row)) for row in queryset[:FILTER_CHOICES_MAX]]


def _scoped_filter(item, model):
    """A list_filter entry naming a foreign key, with its choices scoped to the tenant."""
    if not isinstance(item, str) or "__" in item:
        return item
    field = model._meta.get_field(item)
    return (item, ScopedRelatedFilter) if field.many_to_one else item


class TenantScopedFieldsMixin:
    """Menus, raw-id checks and autocompletes of foreign keys offer only the staff member's
    client's rows (for admins and inlines alike)."""

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return scoped_for_user(queryset, request.user)


class TenantAdminMixin(TenantScopedFieldsMixin):
    """Staff without the global permission see and edit only their own client's rows."""

    tenant_field = "client"

    def get_queryset(self, request):
        return queryset_for_user(
            super().get_queryset(request), request.user, field=self.tenant_field
        )

    def save_model(self, request, obj, form, change):
        if not user_sees_all_clients(request.user) and hasattr(obj, "client_id"):
            obj.client_id = request.user.client_id
        super().save_model(request, obj, form, change)

    def get_changeform_initial_data(self, request):
        """A new row's client menu starts at the staff member's own client."""
        initial = super().get_changeform_initial_data(request)
        if self.tenant_field == "client" and getattr(request.user, "client_id", None):
            initial.setdefault("client", request.user.client_id)
        return initial

    def get_list_filter(self, request):
        """The client filter only for staff who see every client; related-row filters list
        only the staff member's rows."""
        sees_all = user_sees_all_clients(request.user)
        return [
            _scoped_filter(item, self.model)
            for item in super().get_list_filter(request)
            if sees_all or item != "client"
        ]


class TenantInlineMixin(TenantScopedFieldsMixin):
    """An inline whose foreign-key menus offer only the staff member's client's rows."""


HIDDEN_SETTINGS = ("previous_webhook_secret", "previous_webhook_secret_until")


class ClientForm(forms.ModelForm):
    """A client's settings without the previous webhook secret, which is kept as stored."""

    class Meta:
        model = Client
        fields = ["name", "code", "active", "settings"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "settings" in self.fields:
            self.initial["settings"] = settings_shown(self.instance.settings)

    def clean_settings(self):
        value = self.cleaned_data.get("settings") or {}
        if not isinstance(value, dict):
            raise forms.ValidationError("Settings must be a JSON object.")
        stored = self.instance.settings or {}
        kept = {key: stored[key] for key in HIDDEN_SETTINGS if key in stored}
        return {**settings_shown(value), **kept}


def settings_shown(settings: dict | None) -> dict:
    """A client's settings as staff may see them: without the engine's secret keys."""
    return {k: v for k, v in (settings or {}).items() if k not in HIDDEN_SETTINGS}


def secret_fingerprint(secret: str) -> str:
    """A short SHA-256 fingerprint: tells two secrets apart without revealing either."""
    return "sha256:" + hashlib.sha256(secret.encode()).hexdigest()[:12] if secret else "not set"


@admin.action(description="Rotate the webhook secret", permissions=["manage_webhook_secret"])
def clients_rotate_webhook_secret(modeladmin, request, queryset):
    """New callback-signing secrets; the old ones keep signing alongside for 24 hours."""
    for client in queryset:
        client_webhook_secret_rotate(client=client)
    modeladmin.message_user(
        request,
        f"Rotated the webhook secret of {len(queryset)} client(s); the previous secret signs "
        "too for 24 hours. Clients read the new one with GET /api/webhook_secret.",
        messages.SUCCESS,
    )


@admin.register(Client)
class ClientAdmin(TenantAdminMixin, admin.ModelAdmin):
    """Tenants. The webhook secret is never shown (only a fingerprint); it is rotated by an
    action. A client that has jobs cannot be deleted here: deactivate it instead."""

    form = ClientForm
    tenant_field = "pk"
    list_display = ["name", "code", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "code"]
    actions = [clients_rotate_webhook_secret]

    def get_readonly_fields(self, request, obj=None):
        shown = ["webhook_secret_state", "created_at", "updated_at"]
        return shown if self._editable(request, obj) else ["settings_public", *shown]

    def get_exclude(self, request, obj=None):
        return [] if self._editable(request, obj) else ["settings"]

    def _editable(self, request, obj) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return self.has_change_permission(request, obj)

    def has_manage_webhook_secret_permission(self, request) -> bool:
        return request.user.has_perm("accounts.manage_webhook_secret")

    def has_delete_permission(self, request, obj=None) -> bool:
        from apps.delivery.models import Job

        if obj is not None and Job.objects.filter(client=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="webhook secret")
    def webhook_secret_state(self, client: Client) -> str:
        text = secret_fingerprint(client.webhook_secret)
        until = (client.settings or {}).get("previous_webhook_secret_until")
        return f"{text}; the previous one signs too until {until}" if until else text

    @admin.display(description="settings")
    def settings_public(self, client: Client) -> dict:
        return settings_shown(client.settings)


def _roles_grantable():
    """Roles a tenant's staff may give: groups carrying no cross-client permission."""
    global_only = [name.split(".", 1)[1] for name in GLOBAL_ONLY]
    return Group.objects.exclude(permissions__codename__in=global_only).distinct()


@admin.register(User)
class UserAdmin(TenantAdminMixin, DjangoUserAdmin):
    """Users of the staff member's client. A tenant's staff cannot make anyone superuser,
    grant single permissions, move users to another client or touch superusers."""

    list_display = ["username", "email", "client", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "groups", "client"]
    search_fields = ["username", "email", "first_name", "last_name", "phone"]
    list_select_related = ["client"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Fusion", {"fields": ("client", "phone", "address", "company", "country", "timezone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Fusion", {"fields": ("client", "email")}),
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if user_sees_all_clients(request.user):
            return queryset
        return queryset.exclude(is_superuser=True)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not user_sees_all_clients(request.user):
            fields += ["is_superuser", "user_permissions", "client"]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not user_sees_all_clients(request.user):
            kwargs["queryset"] = _roles_grantable()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Account)
class AccountAdmin(SecretFieldsMixin, TenantAdminMixin, admin.ModelAdmin):
    """Communication identities (caller ids, DIDs, extensions, email addresses) that
    transmissions send as; the password and PIN are write-only."""

    secret_fields = ("passwd", "passwd_pin")
    list_display = ["username", "type", "client", "owner", "phone", "email", "active"]
    list_filter = ["type", "active", "client"]
    search_fields = ["username", "phone", "email", "first_name", "last_name"]
    list_select_related = ["client", "owner"]
    raw_id_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
