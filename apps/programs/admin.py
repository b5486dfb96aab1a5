"""Back-office page of programs, with the accounts subscribed to each inbound one."""

from django.contrib import admin

from apps.accounts.admin import TenantAdminMixin
from apps.programs.models import Program, Subscription


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    raw_id_fields = ["account"]
    readonly_fields = ["created_at"]


@admin.register(Program)
class ProgramAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ["name", "type", "client", "parent", "created_at"]
    list_filter = ["type", "client"]
    search_fields = ["name"]
    inlines = [SubscriptionInline]
