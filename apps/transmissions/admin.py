"""Back-office page of transmissions, with links to their engine job."""

from django.contrib import admin

from apps.accounts.admin import TenantAdminMixin
from apps.transmissions.models import Transmission


@admin.register(Transmission)
class TransmissionAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ["id", "title", "client", "origin", "direction", "status", "try_done",
                    "try_allowed", "last_run", "campaign_id"]  # fmt: skip
    list_filter = ["status", "direction", "origin", "client"]
    search_fields = ["title", "contact__phone", "contact__email", "response"]
    list_select_related = ["client"]
    raw_id_fields = ["program", "account", "contact", "job"]
    readonly_fields = ["try_done", "last_run", "job", "created_at", "updated_at"]
