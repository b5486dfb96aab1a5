"""Query-string filters of the contact and group lists (ICTCore's search keys plus every other
field of the rows; unknown keys are ignored)."""

import re

import django_filters

from apps.contacts.models import Contact, Group, Membership
from apps.core.filters import CreatedFilterSet, contains


class ContactFilter(CreatedFilterSet):
    """``contact_id``, ``email`` and ``group_id`` match exactly (email ignoring case),
    ``phone`` matches the end of the number, the other text fields match a part."""

    contact_id = django_filters.NumberFilter(field_name="id")
    email = django_filters.CharFilter(lookup_expr="iexact")
    group_id = django_filters.NumberFilter(method="filter_group_id")
    phone = django_filters.CharFilter(method="filter_phone")

    class Meta:
        model = Contact
        fields = contains(
            "first_name", "last_name", "address", "custom1", "custom2", "custom3", "description"
        )

    def filter_group_id(self, queryset, name, value):
        # A subquery, not a join: a contact in several groups is still listed once.
        members = Membership.objects.filter(group_id=value).values("contact_id")
        return queryset.filter(id__in=members)

    def filter_phone(self, queryset, name, value):
        # Stored numbers are E.164, so spaces, dashes and brackets in the query are noise; a
        # value without a digit matches no number (rather than being ignored).
        digits = re.sub(r"[^\d+]", "", value)
        return queryset.filter(phone__endswith=digits) if digits else queryset.none()


class GroupFilter(CreatedFilterSet):
    """``group_id`` and ``contact_total`` match exactly, ``name``/``description`` a part."""

    group_id = django_filters.NumberFilter(field_name="id")
    # The list's queryset is annotated with contact_total (selectors.group_list).
    contact_total = django_filters.NumberFilter(field_name="contact_total")

    class Meta:
        model = Group
        fields = contains("name", "description")


class GroupContactFilter(ContactFilter):
    """The contact filters inside one group (the path names the group, so no ``group_id``)."""

    group_id = None
