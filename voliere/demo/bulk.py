"""Fast inserts for the seeder: rows without the ORM.

`bulk_create` spends most of its time compiling SQL field by field; for tens of thousands
of rows `insert_rows` hands plain tuples to the driver's `executemany` instead. Values
go through the backend's own adapters, so the result is what the ORM would have written.

"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection, models


def _adapt(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def insert_rows(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """INSERT plain tuples (values in `columns` order, foreign keys as ids) into `model`."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
    batch = [tuple(_adapt(v) for v in row) for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(batch), 5000):
            cursor.executemany(sql, batch[start : start + 5000])
    return len(batch)


def insert_objects(objects: list[models.Model], fields: list[str]) -> int:
    """`insert_rows` for unsaved model instances with explicit primary keys."""
    if not objects:
        return 0
    model = type(objects[0])
    concrete = [model._meta.get_field(f) for f in fields]
    return insert_rows(
        model,
        [f.column for f in concrete],
        (tuple(getattr(o, f.attname) for f in concrete) for o in objects),
    )
