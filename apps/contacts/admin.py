"""Back-office pages of contacts and groups; staff of a client see only that client's rows.

Contacts are a big table (millions across clients): the shared big-table paging, and a
search that looks a phone or an email up exactly (indexed) and only names by substring.
"""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from apps.accounts.admin import TenantAdminMixin, TenantInlineMixin
from apps.accounts.tenancy import queryset_for_user
from apps.contacts import selectors
from apps.contacts.models import Contact, Group, Membership
from apps.contacts.phones import InvalidPhone, phone_normalise, region_for_client
from apps.core.admin_helpers import SummarizedDeleteMixin
from apps.core.admin_paging import BigTableAdminMixin


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
    """Tenant scoping (menus offer only the user's client), and the creator on a new row."""

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


class MembershipInline(TenantInlineMixin, admin.TabularInline):
    """A contact's groups (a contact is in few groups; a group's members are a link away)."""

    model = Membership
    extra = 0
    autocomplete_fields = ["group"]
    readonly_fields = ["created_at"]


def contact_search(term: str, region: str) -> Q:
    """A phone (any way it is written) or an email exactly; otherwise a name's substring."""
    if "@" in term:
        return Q(email=term) | Q(email=term.lower())
    try:
        return Q(phone=phone_normalise(term, region=region))
    except InvalidPhone:
        return Q(first_name__icontains=term) | Q(last_name__icontains=term)


@admin.register(Contact)
class ContactAdmin(BigTableAdminMixin, OwnClientMixin, admin.ModelAdmin):
    """Contacts: filter by client, group and time; search a phone or email exactly (read in
    the client's region, as the API does) or a name by substring."""

    form = ContactForm
    list_display = ["phone", "first_name", "last_name", "email", "client", "created_at"]
    list_filter = ["client", GroupOfClientFilter, "created_at"]
    search_fields = ["phone"]
    search_help_text = "A phone or email (exact match), or part of a first or last name."
    sortable_by = ("created_at",)
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [MembershipInline]
    list_select_related = ["client"]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        region = region_for_client(getattr(request.user, "client", None))
        return queryset.filter(contact_search(term, region)), False


@admin.register(Group)
class GroupAdmin(SummarizedDeleteMixin, OwnClientMixin, admin.ModelAdmin):
    """Contact groups with their member counts (a link to the members); deleting a group
    with many members summarises them rather than listing each."""

    list_display = ["name", "client", "members", "created_at"]
    search_fields = ["name", "description"]
    readonly_fields = ["members", "created_by", "created_at", "updated_at"]
    fields = ["client", "name", "description", "members", "created_by", "created_at", "updated_at"]
    list_select_related = ["client"]

    list_filter = ["client"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(contact_total=selectors.member_count())

    @admin.display(description="contacts", ordering="contact_total")
    def members(self, group: Group) -> str:
        """The member count, linking to the contact list filtered on this group."""
        if not group.pk:
            return "-"
        url = reverse("admin:contacts_contact_changelist") + f"?group={group.pk}"
        return format_html('<a href="{}">{}</a>', url, getattr(group, "contact_total", 0))
