"""Reads of contacts and groups, scoped to what the asking user may see."""

from collections.abc import Iterator

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apps.accounts.tenancy import queryset_for_user
from apps.contacts.csv_io import COLUMNS
from apps.contacts.models import Contact, Group, Membership


def contact_list(*, actor) -> QuerySet[Contact]:
    """Contacts ``actor`` may see, one row per contact."""
    return queryset_for_user(Contact.objects.all(), actor)


def member_count() -> Coalesce:
    """An annotation: the group's number of contacts.

    A correlated count rather than a join, so joins added by filters can never inflate it.
    """
    counts = (
        Membership.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def group_list(*, actor) -> QuerySet[Group]:
    """Groups ``actor`` may see, each with ``contact_total`` (its current member count)."""
    return queryset_for_user(Group.objects.all(), actor).annotate(contact_total=member_count())


def group_contacts(*, group: Group) -> QuerySet[Contact]:
    """The group's contacts (each once: a contact is in a group at most once)."""
    return Contact.objects.filter(memberships__group=group)


def contact_csv_rows(contacts: QuerySet[Contact]) -> Iterator[tuple[str, ...]]:
    """The nine CSV columns of each contact, read from the database in chunks."""
    return contacts.order_by("id").values_list(*COLUMNS).iterator(chunk_size=2000)
