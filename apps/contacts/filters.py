"""Query-string filters of the contact and group lists (ICTCore's search keys; unknown keys are
ignored)."""

import re
from datetime import UTC, datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from apps.contacts.models import Contact, Group, Membership


class MomentField(forms.Field):
    """A point in time as ICTCore clients send it (unix seconds) or as ISO 8601."""

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        if re.fullmatch(r"\d+(\.\d+)?", text):
            return datetime.fromtimestamp(float(text), tz=UTC)
        moment = parse_datetime(text)
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime(day.year, day.month, day.day)
        if moment is None:
            raise forms.ValidationError("Use unix seconds or an ISO 8601 date and time.")
        return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


class MomentFilter(django_filters.Filter):
    field_class = MomentField


class _CreatedFilters(django_filters.FilterSet):
    """``before``/``after`` (creation time) and ``user_id``/``created_by`` (the creator)."""

    before = MomentFilter(field_name="created_at", lookup_expr="lt")
    after = MomentFilter(field_name="created_at", lookup_expr="gte")
    user_id = django_filters.NumberFilter(field_name="created_by_id")
    created_by = django_filters.NumberFilter(field_name="created_by_id")


class ContactFilter(_CreatedFilters):
    """``contact_id``, ``email`` and ``group_id`` match exactly (email ignoring case),
    ``first_name``/``last_name`` match a part, ``phone`` matches the end of the number."""

    contact_id = django_filters.NumberFilter(field_name="id")
    email = django_filters.CharFilter(lookup_expr="iexact")
    group_id = django_filters.NumberFilter(method="filter_group_id")
    first_name = django_filters.CharFilter(lookup_expr="icontains")
    last_name = django_filters.CharFilter(lookup_expr="icontains")
    phone = django_filters.CharFilter(method="filter_phone")

    class Meta:
        model = Contact
        fields: list[str] = []

    def filter_group_id(self, queryset, name, value):
        # A subquery, not a join: a contact in several groups is still listed once.
        members = Membership.objects.filter(group_id=value).values("contact_id")
        return queryset.filter(id__in=members)

    def filter_phone(self, queryset, name, value):
        # Stored numbers are E.164, so spaces, dashes and brackets in the query are noise.
        digits = re.sub(r"[^\d+]", "", value)
        return queryset.filter(phone__endswith=digits) if digits else queryset


class GroupFilter(_CreatedFilters):
    """``group_id`` matches exactly, ``name`` matches a part."""

    group_id = django_filters.NumberFilter(field_name="id")
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Group
        fields: list[str] = []


class GroupContactFilter(ContactFilter):
    """The contact filters inside one group (the path names the group, so no ``group_id``)."""

    group_id = None
