"""Querysets compiled to SQL once per process, then run again with other values.

Why: on the API's hottest path (`GET /api/v1/timelines/home`) the database answers in a
fraction of a millisecond, but Django spends one to three milliseconds per query building
and compiling the queryset (`visible_to` alone assembles five subqueries). The SQL text
only depends on the *shape* of the query (which cursor bounds are given, how many ids),
never on the values, so it is compiled once per shape and re-run with fresh parameters.

The queryset is still written with the ORM, by the same functions as everywhere else
(`visible_to` stays the one place that decides visibility): `build(*sentinels)` receives
improbable integers standing for the real values, and the compiled parameters equal to a
sentinel are swapped for the real value at each run. Compilation refuses a query whose
SQL inlines a sentinel, or where one does not appear at all, so a value can never be
frozen into the cached text. Rows come back as the database driver gives them (no
Django converters: on SQLite, datetimes are strings), which suits cache keys and ids.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Far outside any id Volière generates (ids are positive, time-ordered 63-bit integers).
_SENTINEL_BASE = -7_340_000_000_000_000_000


def sentinels(count: int) -> list[int]:
    return [_SENTINEL_BASE - i for i in range(count)]


class CompiledQuery:
    """`build(*values)` → a queryset, compiled once per `(database, shape, value count)`.

    `rows(shape, values)` runs it with `values` (integers) in place of the sentinels;
    `shape` must name everything else that changes the SQL (the caller's choice of
    filters, the limit): the same shape must always give the same SQL.
    """

    def __init__(self, build: Callable[..., QuerySet], *, name: str) -> None:
        self._build = build
        self.name = name
        self._compiled: dict[Hashable, tuple[str, list[Any], list[tuple[int, int]]]] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str, shape: Hashable, count: int
                 ) -> tuple[str, list[Any], list[tuple[int, int]]]:
        marks = sentinels(count)
        queryset = self._build(shape, *marks)
        sql, params = queryset.query.get_compiler(alias).as_sql()
        params = list(params)
        where = {mark: index for index, mark in enumerate(marks)}
        slots = [(pos, where[p]) for pos, p in enumerate(params)
                 if isinstance(p, int) and p in where]
        seen = {value_index for _, value_index in slots}
        missing = [i for i in range(count) if i not in seen]
        inlined = [i for i, mark in enumerate(marks) if str(mark) in sql]
        if missing or inlined:
            raise RuntimeError(
                f"{self.name}: values {missing or inlined} are not bound parameters of the "
                "compiled SQL; this query cannot be compiled once and reused"
            )
        return sql, params, slots

    def rows(self, shape: Hashable, values: Sequence[int], *, using: str = "default"
             ) -> list[tuple]:
        connection = connections[using]
        key = (connection.vendor, shape, len(values))
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(using, shape, len(values))
                self._compiled[key] = compiled
        sql, params, slots = compiled
        bound = list(params)
        for position, value_index in slots:
            bound[position] = values[value_index]
        with connection.cursor() as cursor:
            cursor.execute(sql, bound)
            return cursor.fetchall()

    def clear(self) -> None:
        with self._lock:
            self._compiled.clear()
