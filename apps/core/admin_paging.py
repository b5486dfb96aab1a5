"""Paging, search and filters of back-office lists over tables of millions of rows.

- ``EstimatedCountPaginator``: an unfiltered list on PostgreSQL is counted from the planner's
  estimate (``pg_class.reltuples``); a filtered list is counted exactly up to ``COUNT_CAP``
  rows and shown as "10,000+" beyond; nothing ever runs ``COUNT(*)`` over a whole big table.
- ``BigTableAdminMixin``: that paginator, no second "N total" count, a lighter changelist
  queryset (``list_defer``), exact index-friendly search (``exact_search``) and a cap on how
  many rows one action (or "select all") may touch.
- ``fixed_choices_filter``: a filter on known values, never the column's distinct values.
"""

import uuid
from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

ESTIMATE_ABOVE = 10_000  # an unfiltered table larger than this is estimated, not counted
COUNT_CAP = 10_000  # a filtered list is counted up to this many rows
ACTION_LIMIT = 1_000  # rows one admin action may touch


class ShownCount(int):
    """A row count that prints as "about 1,234,567" or "10,000+" wherever the admin shows it."""

    label: str

    def __new__(cls, value: int, label: str):
        count = super().__new__(cls, value)
        count.label = label
        return count

    def __str__(self) -> str:
        return self.label


def table_estimate(model: type[models.Model], using: str) -> int | None:
    """The planner's row estimate of ``model``'s table on PostgreSQL; None elsewhere or when
    the table was never analysed (``reltuples`` is -1 then)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    """Counts that stay cheap on tables of millions of rows (see the module's docstring)."""

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        if not queryset.query.where:
            estimate = table_estimate(queryset.model, queryset.db)
            if estimate is not None and estimate > ESTIMATE_ABOVE:
                return ShownCount(estimate, f"about {estimate:,}")
            return queryset.count()
        capped = queryset.order_by()[: COUNT_CAP + 1].count()
        if capped > COUNT_CAP:
            return ShownCount(COUNT_CAP, f"{COUNT_CAP:,}+")
        return capped


class LeanChangeList(ChangeList):
    """The changelist's rows without the columns the list does not show (``list_defer``)."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return self.model_admin.changelist_queryset(queryset)


def _exact_match(field: str, parse: Callable, term: str) -> Q | None:
    try:
        value = parse(term)
    except (TypeError, ValueError):
        return None
    return Q(**{field: value})


class BigTableAdminMixin:
    """Admin of a table of millions of rows: cheap counts, exact search, bounded actions.

    ``exact_search`` pairs a lookup with a parser (``uuid_term``, ``int_term``, ``str``): a
    search matches rows where any lookup whose parser accepts the term equals it, so each
    branch can use an index, unlike the admin's default ``icontains`` over every field.
    """

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    list_defer: tuple[str, ...] = ()
    exact_search: tuple[tuple[str, Callable], ...] = ()

    def get_changelist(self, request, **kwargs):
        return LeanChangeList

    def changelist_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.defer(*self.list_defer) if self.list_defer else queryset

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term or not self.exact_search:
            return super().get_search_results(request, queryset, search_term)
        matches = [_exact_match(field, parse, term) for field, parse in self.exact_search]
        wanted = Q()
        for match in filter(None, matches):
            wanted |= match
        return (queryset.filter(wanted) if wanted else queryset.none()), False

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            name: (_bounded(func), name, description)
            for name, (func, name, description) in actions.items()
        }


def _bounded(func: Callable) -> Callable:
    """The action, refused when it would touch more than ACTION_LIMIT rows ("select all")."""

    def action(modeladmin, request, queryset):
        if queryset.order_by()[: ACTION_LIMIT + 1].count() > ACTION_LIMIT:
            modeladmin.message_user(
                request,
                f"An action may touch at most {ACTION_LIMIT:,} rows at once; "
                "narrow the list with filters or a search first. Nothing was changed.",
                messages.ERROR,
            )
            return None
        return func(modeladmin, request, queryset)

    action.__name__ = getattr(func, "__name__", "action")
    return action


def uuid_term(term: str) -> uuid.UUID:
    """A search term read as a UUID (with or without dashes); ValueError otherwise."""
    return uuid.UUID(term)


def int_term(term: str) -> int:
    """A search term read as a positive database id; ValueError otherwise."""
    if not term.isdigit() or len(term) > 18:
        raise ValueError(term)
    return int(term)


def phone_term(term: str) -> str:
    """A number typed without its ``+`` (``15005550006``), read as E.164."""
    if not term.isdigit() or not 7 <= len(term) <= 15:
        raise ValueError(term)
    return f"+{term}"


def fixed_choices_filter(field: str, values, *, title: str = "", anything: str = ""):
    """A list filter on ``field`` offering the known ``values``: Django's default for a column
    without choices lists its distinct values, which reads the whole table on every page.
    ``anything`` labels an extra choice matching any non-empty value."""

    class FixedChoicesFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            extra = [("__any__", anything)] if anything else []
            return [*extra, *((value, value) for value in values)]

        def queryset(self, request, queryset):
            if self.value() == "__any__":
                return queryset.exclude(**{field: ""})
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    FixedChoicesFilter.title = title or field.replace("_", " ")
    FixedChoicesFilter.__name__ = f"{field.title().replace('_', '')}Filter"
    FixedChoicesFilter.__doc__ = f"Known values of ``{field}``."
    return FixedChoicesFilter
