"""Back-office pages of the Queue face: keyword mappings and WhatsApp consents."""

from django.contrib import admin

from apps.accounts.admin import TenantAdminMixin
from apps.core.admin_paging import BigTableAdminMixin
from apps.jobs.models import KeywordMapping, WhatsAppConsent


@admin.register(KeywordMapping)
class KeywordMappingAdmin(TenantAdminMixin, admin.ModelAdmin):
    """Clients' keyword dictionaries (written by POST /mapping/)."""

    list_display = ["keyword", "client", "updated_at"]
    list_filter = ["client"]
    search_fields = ["keyword", "client__name", "client__code"]
    list_select_related = ["client"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(WhatsAppConsent)
class WhatsAppConsentAdmin(BigTableAdminMixin, TenantAdminMixin, admin.ModelAdmin):
    """The latest WhatsApp consent per client and key (one row per recipient: a big table);
    opted-out keys get no WhatsApp. Search a key exactly."""

    list_display = ["cache_key", "client", "state", "updated_at"]
    list_filter = ["client", "state", "updated_at"]
    search_fields = ["=cache_key"]
    search_help_text = "Exact match: the recipient key (usually an E.164 number)."
    exact_search = (("cache_key", str),)
    ordering = ["-id"]  # the model's -updated_at has no index: a sort of every row
    sortable_by = ()
    list_select_related = ["client"]
    readonly_fields = ["created_at", "updated_at"]
