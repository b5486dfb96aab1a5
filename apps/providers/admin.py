"""Back-office page of providers; the password is write-only there too."""

from django import forms
from django.contrib import admin

from apps.accounts.admin import TenantAdminMixin
from apps.providers.inbound import provider_inbound_url
from apps.providers.models import Provider


class ProviderForm(forms.ModelForm):
    password = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted. Leave empty to keep the current password.",
    )

    class Meta:
        model = Provider
        fields = ["client", "name", "type", "service_flag", "node_id", "host", "port", "username",
                  "password", "dialstring", "prefix", "settings", "description", "register",
                  "weight", "active"]  # fmt: skip

    def clean_password(self):
        return self.cleaned_data["password"] or (self.instance.password if self.instance.pk else "")


@admin.register(Provider)
class ProviderAdmin(TenantAdminMixin, admin.ModelAdmin):
    form = ProviderForm
    list_display = ["name", "client", "type", "service_flag", "weight", "active"]
    list_filter = ["type", "active", "client"]
    search_fields = ["name", "host", "username"]
    readonly_fields = ["inbound_url"]

    @admin.display(description="Inbound URL")
    def inbound_url(self, provider: Provider) -> str:
        """Give this to the vendor (append /sms, /email or /fax); it is the credential."""
        return provider_inbound_url(provider.id) if provider.pk else "(after saving)"
