"""Writing many rows' different values in one statement.

Django's ``bulk_update`` builds a ``CASE WHEN pk = … THEN …`` chain per field, and resolving
those expressions costs milliseconds of CPU per row: more than the rest of running a job.
``rows_update`` sends the values as a table instead —
``UPDATE t SET f = v.c1, … FROM (SELECT … FROM (VALUES (…), (…))) AS v WHERE t.pk = v.c0`` —
which PostgreSQL and SQLite (3.33+) both run, at a fraction of the cost.
"""

from django.db import connections, router
from django.db.models import Field, Model


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
