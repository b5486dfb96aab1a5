"""Writing many rows' different values in one statement.

Django's ``bulk_update`` builds a ``CASE WHEN pk = … THEN …`` chain per field, and resolving
those expressions costs milliseconds of CPU per row: more than the rest of running a job.
``rows_update`` sends the values as a table instead —
``UPDATE t SET f = v.c1, … FROM (SELECT … FROM (VALUES (…), (…))) AS v WHERE t.pk = v.c0`` —
which PostgreSQL and SQLite (3.33+) both run, at a fraction of the cost.
"""

import functools
import json
import uuid
from datetime import datetime

from django.db import connections, router
from django.db.models import Choices, DateField, Field, JSONField, Model

# Values psycopg writes exactly as Django's get_db_prep_save would have prepared them.
_NATIVE = (str, int, bool, uuid.UUID, type(None))


def _placeholder(field: Field, connection) -> str:
    # PostgreSQL types VALUES columns from their first row; cast so NULLs, UUIDs and JSON
    # arrive as the column's type. SQLite needs no casts.
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {field.cast_db_type(connection)})"
    return "%s"


def rows_update(model: type[Model], objs: list[Model], fields: list[str]) -> int:
    """Write ``fields`` of each of ``objs`` (already in the database) with one UPDATE; returns
    the number of rows changed. No signals, no ``auto_now``: like ``bulk_update``."""
    if not objs:
        return 0
    connection = connections[router.db_for_write(model)]
    quote, meta = connection.ops.quote_name, model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    row = "(" + ", ".join(_placeholder(field, connection) for field in columns) + ")"
    params = [
        field.get_db_prep_save(getattr(obj, field.attname), connection)
        for obj in objs
        for field in columns
    ]
    table = quote(meta.db_table)
    # VALUES columns are column1, column2, … in both databases; the statement must start
    # with UPDATE for SQLite to report its row count.
    names = ", ".join(f"column{index + 1} AS c{index}" for index in range(len(columns)))
    sets = ", ".join(
        f"{quote(field.column)} = v.c{index}" for index, field in enumerate(columns) if index
    )
    values = ", ".join([row] * len(objs))
    sql = (
        f"UPDATE {table} SET {sets} FROM (SELECT {names} FROM (VALUES {values}) AS rows) AS v "
        f"WHERE {table}.{quote(meta.pk.column)} = v.c0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def model_build(model: type[Model], **values) -> Model:
    """``model(**values)`` for hot paths: built positionally, the way Django builds the rows
    of a query (its keyword path costs a third more), with each field's default where
    ``values`` has no value for its ``attname``."""
    fields = model._meta.concrete_fields
    unknown = values.keys() - _attnames(model)
    if unknown:
        raise TypeError(f"{model.__name__} has no field(s) {sorted(unknown)}")
    return model(*[values[f.attname] if f.attname in values else f.get_default() for f in fields])


@functools.cache
def _attnames(model: type[Model]) -> frozenset[str]:
    return frozenset(field.attname for field in model._meta.concrete_fields)


def rows_insert(model: type[Model], objs: list[Model], *, key: str | None = None) -> None:
    """Insert ``objs`` in one go: PostgreSQL's COPY (no SQL text to build or parse, whatever
    the row count), ``bulk_create`` elsewhere. ``key``: a unique field whose values are already
    set, used to read the new primary keys back (without it they stay unset on PostgreSQL).
    No signals, like ``bulk_create``."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    meta, quote = model._meta, connection.ops.quote_name
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    readers = [_copy_value_reader(field, connection) for field in fields]
    columns = ", ".join(quote(field.column) for field in fields)
    # The raw psycopg cursor's errors are not Django's: wrap them, so a unique violation is an
    # IntegrityError for callers, as with bulk_create.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([read(obj) for read in readers])
        if key:
            _pks_read_back(cursor, meta, quote, objs, key)


def _copy_value_reader(field: Field, connection):
    """A function giving ``field``'s COPY value of an object.

    Django's ``get_db_prep_save`` costs ten calls per value, more than the rest of the insert,
    so values psycopg writes the same way pass through as they are (choices as their value);
    JSON goes as text (COPY's format is text: PostgreSQL parses it), SQL NULL for None as
    Django stores it; anything else (naive datetimes, Decimals, …) still goes through
    Django's preparation.
    """
    attname = field.attname
    if isinstance(field, DateField) and (field.auto_now or field.auto_now_add):
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
    if isinstance(field, JSONField):
        encoder = field.encoder

        def json_text(obj):
            value = getattr(obj, attname)
            return None if value is None else json.dumps(value, cls=encoder)

        return json_text

    def value_of(obj):
        value = getattr(obj, attname)
        if isinstance(value, Choices):  # a TextChoices/IntegerChoices member: Django stores
            value = value.value  # its value
        if type(value) in _NATIVE or (type(value) is datetime and value.tzinfo is not None):
            return value
        return field.get_db_prep_save(value, connection)

    return value_of


def _pks_read_back(cursor, meta, quote, objs: list[Model], key: str) -> None:
    column = meta.get_field(key).column
    cursor.execute(
        f"SELECT {quote(meta.pk.column)}, {quote(column)} FROM {quote(meta.db_table)} "
        f"WHERE {quote(column)} = ANY(%s)",
        [[getattr(obj, key) for obj in objs]],
    )
    pks = {value: pk for pk, value in cursor.fetchall()}
    for obj in objs:
        obj.pk = pks[getattr(obj, key)]
        obj._state.adding = False


def rows_fan_out(model: type[Model], *, field: str, values: list, **same) -> None:
    """Insert one row per item of ``values`` (the ``field`` column); every other column holds
    ``same`` or its default, computed once.

    On PostgreSQL one ``INSERT … SELECT … FROM unnest(%s)``: no object per row at all (the
    engine's hot paths record one event per job this way); ``bulk_create`` elsewhere.
    """
    if not values:
        return
    connection = connections[router.db_for_write(model)]
    meta, quote = model._meta, connection.ops.quote_name
    varying = meta.get_field(field)
    template = model(**same)  # defaults filled in once, the same for every row
    others = [f for f in meta.concrete_fields if not f.primary_key and f is not varying]
    if connection.vendor != "postgresql":
        common = {f.attname: getattr(template, f.attname) for f in others}
        model.objects.bulk_create([model(**{varying.attname: v}, **common) for v in values])
        return
    params = [f.get_db_prep_save(f.pre_save(template, True), connection) for f in others]
    columns = ", ".join(quote(f.column) for f in [varying, *others])
    placeholders = ", ".join(["v", *(_placeholder(f, connection) for f in others)])
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {placeholders} "
        f"FROM unnest(CAST(%s AS {varying.cast_db_type(connection)}[])) AS v"
    )
    prepared = [varying.get_db_prep_save(value, connection) for value in values]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, prepared])
