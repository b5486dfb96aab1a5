"""Back-office page of providers; the password is write-only there too."""

from django import forms
from django.contrib import admin

from apps.accounts.admin import TenantAdminMixin
from apps.core.admin_helpers import SecretFieldsMixin
from apps.providers.inbound import provider_inbound_url
from apps.providers.models import Provider


class ProviderForm(forms.ModelForm):
    """The provider's fields in the API's order (the password field is ``WriteOnlyField``)."""

    class Meta:
        model = Provider
        fields = ["client", "name", "type", "service_flag", "node_id", "host", "port", "username",
                  "password", "dialstring", "prefix", "settings", "description", "register",
                  "weight", "active", "max_per_second"]  # fmt: skip


@admin.register(Provider)
class ProviderAdmin(SecretFieldsMixin, TenantAdminMixin, admin.ModelAdmin):
    """Vendor accounts per client. The password (an auth token, a service-account JSON) is
    stored encrypted and never shown: typing one replaces it, leaving it empty keeps it."""

    form = ProviderForm
    secret_fields = ("password",)
    list_display = ["name", "client", "type", "service_flag", "weight", "max_per_second", "active",
                    "updated_at"]  # fmt: skip
    list_filter = ["type", "active", "client"]
    list_select_related = ["client"]
    search_fields = ["name", "host", "username"]
    readonly_fields = ["inbound_url", "created_at", "updated_at"]

    @admin.display(description="Inbound URL")
    def inbound_url(self, provider: Provider) -> str:
        """Give this to the vendor (append /sms, /email or /fax); it is the credential."""
        return provider_inbound_url(provider.id) if provider.pk else "(after saving)"
