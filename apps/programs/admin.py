"""Back-office page of programs."""

from django.contrib import admin

from apps.accounts.admin import TenantAdminMixin
from apps.programs.models import Program


@admin.register(Program)
class ProgramAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ["name", "type", "client", "parent", "created_at"]
    list_filter = ["type", "client"]
    search_fields = ["name"]
