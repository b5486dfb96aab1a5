"""Back-office pages of the Queue face: keyword mappings and WhatsApp consents."""

from django.contrib import admin

from apps.accounts.admin import TenantAdminMixin
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
class WhatsAppConsentAdmin(TenantAdminMixin, admin.ModelAdmin):
    """The latest WhatsApp consent per client and key; opted-out keys get no WhatsApp."""

    list_display = ["cache_key", "client", "state", "updated_at"]
    list_filter = ["client", "state"]
    search_fields = ["cache_key", "client__name", "client__code"]
    list_select_related = ["client"]
    readonly_fields = ["created_at", "updated_at"]
