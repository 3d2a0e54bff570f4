"""The kinds of things search finds, and how each is indexed and permission-checked.

A `SearchKind` tells the indexer which model to mirror and how to turn one object into a
`Document`, and tells the engine how to keep only the matches a viewer may see (through
the owning app's own permission code, never a copy of it). Posts, people and communities
are registered by `voliere.search.apps`; articles and forum threads when
`voliere.knowledge.access` exists. Another app's kind is one `register(...)` call.

Hashtags are not a `SearchKind`: their names are matched by prefix in `HashtagKey`
(see `kinds/hashtags.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Model, QuerySet

from voliere.search.documents import Document

if TYPE_CHECKING:
    from voliere.accounts.models import Account

# Filters a kind may understand (see `voliere.search.parser`); a kind that does not
# understand every filter of a query has no results for it.
TIME_FILTERS = frozenset({"since", "until"})


@dataclass(frozen=True)
class Dependent:
    """Another model whose changes change a kind's documents (a post's attachments, an
    article's tags): `objects_of(instance)` returns the ids to re-index."""

    model: str
    objects_of: Callable[[Any], Iterable[int]]
    m2m_field: str | None = None  # "Article.tags": listen to m2m_changed on its through


@dataclass(frozen=True)
class SearchKind:
    name: str  # tab key and `kinds=` value: "posts", "people", ...
    table: str  # suffix of the index table, `search_<table>`
    model: str  # "posts.Post"
    fields: tuple[str, ...]  # read by the reindex, in bulk, as named rows
    build: Callable[[Any, dict], Document | None]  # None: not searchable (deleted, draft...)
    # What `viewer` may see, with what display needs (select_related); the engine adds
    # `pk__in` per batch of matches.
    visible: Callable[[Account | None], QuerySet]
    text_of: Callable[[Any], tuple[str, str]]  # (title, body) as written, for snippets
    date_of: Callable[[Any], datetime | None]
    filters: frozenset[str] = frozenset()
    time_ordered: bool = False  # object ids are snowflakes (since:/until: as id ranges)
    extras: Callable[[list[int]], dict[int, dict]] | None = None  # bulk look-ups for build
    dependents: tuple[Dependent, ...] = field(default_factory=tuple)

    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)


_registry: dict[str, SearchKind] = {}


def register(kind: SearchKind) -> None:
    _registry[kind.name] = kind


def registered() -> dict[str, SearchKind]:
    return dict(_registry)


def get(name: str) -> SearchKind | None:
    return _registry.get(name)
