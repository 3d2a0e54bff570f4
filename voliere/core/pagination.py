"""Cursor pagination over time-ordered ids (newest first).

`max_id` asks for items older than an id, `min_id` for the items just newer than an id
(the page closest to it), `since_id` for the newest items newer than an id. Because ids
grow with time, posts created while someone reads never shift, skip or repeat items.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import QuerySet

from voliere.core.exceptions import InvalidInput

T = TypeVar("T")
DEFAULT_LIMIT = 20
MAX_LIMIT = 40


def _is_whole_number(raw: Any) -> bool:
    """ASCII digits only: str.isdigit() also accepts "²" or "٣", which int() refuses."""
    text = str(raw)
    return text.isascii() and text.isdigit()


@dataclass(frozen=True, slots=True)
class Cursor:
    max_id: int | None = None
    min_id: int | None = None
    since_id: int | None = None
    limit: int = DEFAULT_LIMIT

    @classmethod
    def from_params(
        cls, params: Mapping[str, Any], *, default_limit: int = DEFAULT_LIMIT
    ) -> Cursor:
        """Read `max_id`, `min_id`, `since_id` and `limit`.

        Raises InvalidInput naming the parameter at fault.
        """
        values: dict[str, int | None] = {}
        for name in ("max_id", "min_id", "since_id"):
            raw = params.get(name)
            if raw in (None, ""):
                values[name] = None
                continue
            if not _is_whole_number(raw) or len(str(raw)) > 19:
                raise InvalidInput(
                    f"{name} must be a positive whole number, got {raw!r}", field=name
                )
            values[name] = int(raw)
        raw_limit = params.get("limit")
        limit = default_limit
        if raw_limit not in (None, ""):
            if not _is_whole_number(raw_limit) or int(raw_limit) < 1:
                raise InvalidInput(
                    f"limit must be a whole number from 1 to {MAX_LIMIT}", field="limit"
                )
            limit = min(int(raw_limit), MAX_LIMIT)
        return cls(limit=limit, **values)


@dataclass(frozen=True, slots=True)
class Page(Sequence[T]):
    items: list[T]
    next_max_id: int | None  # pass as max_id for older items; None at the end
    prev_min_id: int | None  # pass as min_id for newer items

    def __getitem__(self, index: Any) -> Any:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)


def paginate(queryset: QuerySet, cursor: Cursor, *, field: str = "id", key: Any = None) -> Page:
    """Apply `cursor` to `queryset` ordered by `field` (an integer, time-ordered column).

    `key(item)` returns the item's cursor value (default: the attribute `field`).
    One query; the page is fetched with one extra row to know whether more exist.
    """
    key = key or (lambda item: getattr(item, field))
    qs = queryset
    if cursor.max_id is not None:
        qs = qs.filter(**{f"{field}__lt": cursor.max_id})
    if cursor.since_id is not None:
        qs = qs.filter(**{f"{field}__gt": cursor.since_id})
    if cursor.min_id is not None:
        qs = qs.filter(**{f"{field}__gt": cursor.min_id})
        rows = list(qs.order_by(field)[: cursor.limit])
        rows.reverse()
        return Page(
            items=rows,
            next_max_id=key(rows[-1]) if rows else None,
            prev_min_id=key(rows[0]) if rows else cursor.min_id,
        )
    rows = list(qs.order_by(f"-{field}")[: cursor.limit + 1])
    has_older = len(rows) > cursor.limit
    rows = rows[: cursor.limit]
    return Page(
        items=rows,
        next_max_id=key(rows[-1]) if rows and has_older else None,
        prev_min_id=key(rows[0]) if rows else cursor.min_id,
    )
