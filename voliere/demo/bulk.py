"""Fast inserts for the seeder: rendering without a query per post, rows without the ORM.

`bulk_create` spends most of its time compiling SQL field by field; for tens of thousands
of rows `insert_rows` hands plain tuples to the driver's `executemany` instead. Values
go through the backend's own adapters, so the result is what the ORM would have written.

`Renderer` produces the HTML `voliere.posts.rendering.render_post_text` would store,
resolving mentions from the accounts the seeder already holds in memory instead of one
query per post (the demo tests check both give the same HTML).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.urls import reverse

from voliere.accounts.models import Account
from voliere.core.text import extract_hashtags, extract_mentions, render_html
from voliere.posts.rendering import RenderedText


class Renderer:
    def __init__(self, accounts: Iterable[Account]) -> None:
        self.by_handle = {a.handle_lower: a for a in accounts if not a.is_suspended}
        self._urls: dict[str, str] = {}

    def _url(self, name: str, arg: str) -> str:
        key = f"{name}:{arg}"
        if key not in self._urls:
            self._urls[key] = reverse(name, args=[arg])
        return self._urls[key]

    def render(self, text: str) -> RenderedText:
        mentioned = [self.by_handle[h] for h in extract_mentions(text) if h in self.by_handle]
        html = render_html(
            text,
            mention_url=lambda h: (
                self._url("profile", self.by_handle[h].handle) if h in self.by_handle else None
            ),
            tag_url=lambda tag: self._url("hashtag", tag),
        )
        return RenderedText(html=html, hashtags=extract_hashtags(text), mentioned=mentioned)


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
