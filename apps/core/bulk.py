"""Writing many rows' different values in one statement.

Django's ``bulk_update`` builds a ``CASE WHEN pk = … THEN …`` chain per field, and resolving
those expressions costs milliseconds of CPU per row: more than the rest of running a job.
``rows_update`` sends the values as a table instead —
``UPDATE t SET f = v.c1, … FROM unnest(%s, %s, …) AS v(c0, c1, …) WHERE t.pk = v.c0`` on
PostgreSQL (one array per column), a ``VALUES`` list on SQLite (3.33+) — at a fraction of the
cost. ``rows_insert`` (COPY) and ``rows_fan_out`` (one ``INSERT … SELECT … unnest``) do the
same for inserts.
"""

import functools
import json
import uuid
from datetime import datetime

from django.db import connections, router
from django.db.models import Choices, DateField, Field, JSONField, Model

# Values psycopg writes exactly as Django's get_db_prep_save would have prepared them.
_NATIVE = (str, int, bool, uuid.UUID, type(None))


def _cast(field: Field, connection, *, array: bool = False) -> str:
    """A PostgreSQL placeholder cast to the column's type (or an array of it), so NULLs,
    UUIDs and JSON arrive typed whatever the first value is."""
    return f"CAST(%s AS {field.cast_db_type(connection)}{'[]' if array else ''})"


def rows_update(model: type[Model], objs: list[Model], fields: list[str]) -> int:
    """Write ``fields`` of each of ``objs`` (already in the database) with one UPDATE; returns
    the number of rows changed. No signals, no ``auto_now``: like ``bulk_update``."""
    if not objs:
        return 0
    connection = connections[router.db_for_write(model)]
    quote, meta = connection.ops.quote_name, model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    table = quote(meta.db_table)
    sets = ", ".join(
        f"{quote(field.column)} = v.c{index}" for index, field in enumerate(columns) if index
    )
    if connection.vendor == "postgresql":
        source, params = _unnest_source(objs, columns, connection)
    else:
        source, params = _values_source(objs, columns, connection)
    sql = f"UPDATE {table} SET {sets} FROM {source} WHERE {table}.{quote(meta.pk.column)} = v.c0"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _unnest_source(objs: list[Model], columns: list[Field], connection) -> tuple[str, list]:
    """PostgreSQL: one array per column (a placeholder each, however many rows: psycopg
    parses a statement's placeholders in Python, which a VALUES list makes per value)."""
    arrays = ", ".join(_cast(field, connection, array=True) for field in columns)
    names = ", ".join(f"c{index}" for index in range(len(columns)))
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for obj in objs]
        for field in columns
    ]
    return f"unnest({arrays}) AS v({names})", params


def _values_source(objs: list[Model], columns: list[Field], connection) -> tuple[str, list]:
    """SQLite (3.33+): a VALUES list, whose columns are column1, column2, …; the statement
    must start with UPDATE for SQLite to report its row count."""
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"  # SQLite needs no casts
    names = ", ".join(f"column{index + 1} AS c{index}" for index in range(len(columns)))
    params = [
        field.get_db_prep_save(getattr(obj, field.attname), connection)
        for obj in objs
        for field in columns
    ]
    values = ", ".join([row] * len(objs))
    return f"(SELECT {names} FROM (VALUES {values}) AS rows) AS v", params


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


def rows_insert(
    model: type[Model], objs: list[Model], *, key: str | tuple[str, ...] | None = None
) -> None:
    """Insert ``objs`` in one go: PostgreSQL's COPY (no SQL text to build or parse, whatever
    the row count), ``bulk_create`` elsewhere. ``key``: a unique field, or the fields of a
    unique constraint (attnames), whose values are already set, used to read the new primary
    keys back (without it they stay unset on PostgreSQL). No signals, like ``bulk_create``."""
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
            _pks_read_back(cursor, meta, quote, objs, key, connection)


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


def _pks_read_back(cursor, meta, quote, objs: list[Model], key, connection) -> None:
    names = (key,) if isinstance(key, str) else tuple(key)
    fields = [meta.get_field(name) for name in names]
    columns = ", ".join(quote(field.column) for field in fields)
    values = [[getattr(obj, field.attname) for obj in objs] for field in fields]
    if len(fields) == 1:  # "= ANY": the unique index, whatever the planner thinks of unnest
        match = f"{columns} = ANY(%s)"
    else:
        arrays = ", ".join(_cast(f, connection, array=True) for f in fields)
        match = f"({columns}) IN (SELECT * FROM unnest({arrays}))"
    cursor.execute(
        f"SELECT {quote(meta.pk.column)}, {columns} FROM {quote(meta.db_table)} WHERE {match}",
        values,
    )
    pks = {tuple(row[1:]): row[0] for row in cursor.fetchall()}
    for obj in objs:
        obj.pk = pks[tuple(getattr(obj, field.attname) for field in fields)]
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
    placeholders = ", ".join(["v", *(_cast(f, connection) for f in others)])
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {placeholders} "
        f"FROM unnest({_cast(varying, connection, array=True)}) AS v"
    )
    prepared = [varying.get_db_prep_save(value, connection) for value in values]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, prepared])
