"""Cursor pagination, the same on every list: newest first, `max_id` + `limit`.

A page answers `{"items": [...], "next_max_id": "123" | null, "next": "https://…" | null}`
and, when there is a next page, a `Link: <…?max_id=123&limit=20>; rel="next"` header (as
the Mastodon API does). Pass `next_max_id` back as `max_id` (or follow `next`) for older
items; null means the end. Ids are time-ordered, so items added while a client pages
never shift, skip or repeat items.

The community directory is sorted by activity, members or name, which ids do not follow:
it pages with `page` numbers instead (`next_page`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from pydantic import create_model

from voliere.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, Cursor, Page

ID_PATTERN = r"^[0-9]{1,19}$"
LARGEST_ID = 2**63 - 1  # a bigger number would overflow the database's integer


class CursorQuery(Schema):
    max_id: str | None = Field(
        None, pattern=ID_PATTERN, description="Only items older than this id (`next_max_id`)."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")

    def cursor(self) -> Cursor:
        max_id = min(int(self.max_id), LARGEST_ID) if self.max_id else None
        return Cursor(max_id=max_id, limit=self.limit)


def page_model(item: type[Schema], name: str) -> type[Schema]:
    """A page of `item`: `items`, `next_max_id`, `next` (see the module docstring)."""
    return create_model(
        name,
        __base__=Schema,
        items=(list[item], ...),
        next_max_id=(str | None, None),
        next=(str | None, None),
    )


def next_url(request: HttpRequest, **params: object) -> str:
    """This request's URL with `params` replacing its own (other parameters kept)."""
    kept = [
        (key, value)
        for key, values in request.GET.lists()
        if key not in params
        for value in values
    ]
    query = urlencode(kept + [(key, str(value)) for key, value in params.items()])
    return f"{request.build_absolute_uri(request.path)}?{query}"


def paged(request: HttpRequest, response: HttpResponse, items: list, page: Page) -> dict:
    """The body of a page of `items` (already serialisable) and its `Link` header."""
    cursor = str(page.next_max_id) if page.next_max_id is not None else None
    link = next_url(request, max_id=cursor) if cursor else None
    if link:
        response["Link"] = f'<{link}>; rel="next"'
    return {"items": items, "next_max_id": cursor, "next": link}
