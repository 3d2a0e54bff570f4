"""Shared helpers for search tests."""

from __future__ import annotations

from voliere.search.engine import search


def found_ids(viewer, query: str, kind: str = "posts", **options) -> list[int]:
    """Ids of the `kind` results `viewer` gets for `query` (None: anonymous)."""
    results = search(viewer, query, kinds=[kind], **options)
    return [item.object.pk for item in results.by_kind[kind].items]
