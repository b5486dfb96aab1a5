"""Back-office pages of contacts and groups; staff of a client see only that client's rows."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from apps.accounts.admin import TenantAdminMixin
from apps.accounts.models import Client
from apps.accounts.tenancy import queryset_for_user, user_sees_all_clients
from apps.contacts import selectors
from apps.contacts.models import Contact, Group, Membership
from apps.contacts.phones import InvalidPhone, phone_normalise, region_for_client


class ContactForm(forms.ModelForm):
    """Stores the phone in E.164, read in the client's region like the API does."""

    phone = forms.CharField(required=False, max_length=64, help_text="Stored in E.164.")

    class Meta:
        model = Contact
        fields = ["client", "first_name", "last_name", "phone", "email", "address",
                  "custom1", "custom2", "custom3", "description"]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        raw = (cleaned.get("phone") or "").strip()
        client = cleaned.get("client") or getattr(self.instance, "client", None)
        if raw:
            try:
                cleaned["phone"] = phone_normalise(raw, region=region_for_client(client))
            except InvalidPhone as exc:
                self.add_error("phone", str(exc))
        return cleaned


class OwnClientMixin(TenantAdminMixin):
    """Tenant scoping, and a client menu that offers only the clients the user may see."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "client":
            kwargs["queryset"] = queryset_for_user(Client.objects.all(), request.user, field="pk")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class GroupOfClientFilter(admin.SimpleListFilter):
    """Filter by group, offering only groups the staff member may see."""

    title = "group"
    parameter_name = "group"

    def lookups(self, request, model_admin):
        groups = queryset_for_user(Group.objects.all(), request.user).only("id", "name")
        return [(group.id, group.name) for group in groups[:500]]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(memberships__group_id=self.value())
        return queryset


class MembershipInline(admin.TabularInline):
    """A contact's groups (a contact is in few groups; a group's members are a link away)."""

    model = Membership
    extra = 0
    autocomplete_fields = ["group"]
    readonly_fields = ["created_at"]


@admin.register(Contact)
class ContactAdmin(OwnClientMixin, admin.ModelAdmin):
    form = ContactForm
    list_display = ["phone", "first_name", "last_name", "email", "client", "created_at"]
    search_fields = ["first_name", "last_name", "phone", "email"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [MembershipInline]
    list_select_related = ["client"]

    def get_list_filter(self, request):
        # The client filter would list every client's name: only for staff who see them all.
        if user_sees_all_clients(request.user):
            return ["client", GroupOfClientFilter]
        return [GroupOfClientFilter]


@admin.register(Group)
class GroupAdmin(OwnClientMixin, admin.ModelAdmin):
    list_display = ["name", "client", "members", "created_at"]
    search_fields = ["name", "description"]
    readonly_fields = ["members", "created_by", "created_at", "updated_at"]
    fields = ["client", "name", "description", "members", "created_by", "created_at", "updated_at"]
    list_select_related = ["client"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(contact_total=selectors.member_count())

    def get_list_filter(self, request):
        return ["client"] if user_sees_all_clients(request.user) else []

    @admin.display(description="contacts", ordering="contact_total")
    def members(self, group: Group) -> str:
        """The member count, linking to the contact list filtered on this group."""
        if not group.pk:
            return "-"
        url = reverse("admin:contacts_contact_changelist") + f"?group={group.pk}"
        return format_html('<a href="{}">{}</a>', url, getattr(group, "contact_total", 0))
