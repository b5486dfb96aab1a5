"""Back-office pages for clients, users (with roles and permissions) and roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from apps.accounts.models import Client, User
from apps.accounts.tenancy import queryset_for_user, user_sees_all_clients


class TenantAdminMixin:
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


@admin.register(Client)
class ClientAdmin(TenantAdminMixin, admin.ModelAdmin):
    tenant_field = "pk"
    list_display = ["name", "code", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "code"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(User)
class UserAdmin(TenantAdminMixin, DjangoUserAdmin):
    list_display = ["username", "email", "client", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "groups", "client"]
    search_fields = ["username", "email", "first_name", "last_name", "phone"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Fusion", {"fields": ("client", "phone", "address", "company", "country", "timezone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Fusion", {"fields": ("client", "email")}),
    )
