"""Back-office page of programs, with the accounts subscribed to each inbound one."""

from django.contrib import admin

from apps.accounts.admin import TenantAdminMixin, TenantInlineMixin
from apps.core.admin_helpers import SummarizedDeleteMixin
from apps.programs.models import Program, Subscription


class SubscriptionInline(TenantInlineMixin, admin.TabularInline):
    """Accounts whose inbound traffic runs this program."""

    model = Subscription
    extra = 0
    raw_id_fields = ["account"]
    readonly_fields = ["created_at"]


@admin.register(Program)
class ProgramAdmin(SummarizedDeleteMixin, TenantAdminMixin, admin.ModelAdmin):
    """Programs by type; a program that transmissions still use cannot be deleted (the
    delete page counts them rather than listing each)."""

    list_display = ["name", "type", "client", "parent", "created_at"]
    list_filter = ["type", "client"]
    list_select_related = ["client", "parent"]
    search_fields = ["name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [SubscriptionInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
