"""Keeping the index in step with the content, in the same transaction.

Why signals here, against the house rule of explicit actions: the index is a derived
copy, like a database index, and must change in the very transaction that changes the
content (an edit is searchable, a deletion unsearchable, before the commit returns; a
rolled-back post never appears). `post_save`/`post_delete` give exactly that for every
writer (actions, admin, API) without the content apps knowing search exists. After-commit
events would leave a window where a deleted post is still found. Bulk writes that skip
signals (`bulk_create`, `update()`, the demo seed, the benchmark's COPY) are indexed by
`reindex` (`voliere manage reindex`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from voliere.search import backends
from voliere.search.kinds import SearchKind, hashtags, registered

REINDEX_BATCH = 5_000


def index_objects(kind: SearchKind, objects: list[Any]) -> int:
    """Write (or remove, when not searchable any more) the documents of `objects`;
    returns how many documents were written."""
    ids = [obj.id for obj in objects]
    extras = kind.extras(ids) if kind.extras else {}
    documents, gone = [], []
    for obj in objects:
        document = kind.build(obj, extras.get(obj.id, {}))
        if document is None:
            gone.append(obj.id)
        else:
            documents.append(document)
    store = backends.backend()
    store.delete(kind.table, gone)
    store.write(kind.table, documents)
    if kind.name == "posts":
        hashtags.remember_tags_of(obj.text for obj in objects if obj.deleted_at is None)
    return len(documents)


def index_ids(kind: SearchKind, ids: Iterable[int]) -> None:
    """Re-read these objects and re-index them; ids that no longer exist are removed."""
    ids = list(set(ids))
    if not ids:
        return
    rows = list(kind.model_class().objects.filter(pk__in=ids).values_list(*kind.fields, named=True))
    index_objects(kind, rows)
    missing = set(ids) - {row.id for row in rows}
    backends.backend().delete(kind.table, sorted(missing))


@dataclass
class ReindexReport:
    kind: str
    objects: int  # rows read
    documents: int  # documents written (reposts, deleted posts... have none)
    seconds: float


def reindex(kind: SearchKind, *, progress: Callable[[int], None] | None = None) -> ReindexReport:
    """Rebuild one kind's index from its table, in batches of REINDEX_BATCH objects, each
    read and written in its own transaction (a large instance never holds one huge
    transaction). The index is emptied first, so searches miss what is not rebuilt yet:
    run it after bulk imports or restores, not as routine maintenance (signals keep the
    index current in normal operation)."""
    started = time.perf_counter()
    store = backends.backend()
    model = kind.model_class()
    store.clear(kind.table)
    last_id, done, written = None, 0, 0
    while True:
        rows = model.objects.order_by("pk")
        if last_id is not None:
            rows = rows.filter(pk__gt=last_id)
        with transaction.atomic():
            batch = list(rows.values_list(*kind.fields, named=True)[:REINDEX_BATCH])
            if not batch:
                break
            written += index_objects(kind, batch)
        last_id = batch[-1].id
        done += len(batch)
        if progress:
            progress(done)
    if hasattr(store, "optimize"):
        store.optimize(kind.table)
    return ReindexReport(kind.name, done, written, time.perf_counter() - started)


def reindex_all(kinds: Iterable[str] | None = None) -> list[ReindexReport]:
    """Rebuild every registered kind (or those named), then the hashtag keys."""
    wanted = registered()
    reports = [reindex(kind) for name, kind in wanted.items() if kinds is None or name in kinds]
    _remember_existing_tags()
    return reports


def _remember_existing_tags() -> None:
    from voliere.posts.models import Hashtag
    from voliere.search.models import HashtagKey
    from voliere.search.text import fold

    names = Hashtag.objects.values_list("name", flat=True).iterator(chunk_size=5000)
    batch: list[HashtagKey] = []
    for name in names:
        batch.append(HashtagKey(name=name, key=fold(name)[:100]))
        if len(batch) >= 5000:
            HashtagKey.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    HashtagKey.objects.bulk_create(batch, ignore_conflicts=True)


# --- signal receivers -------------------------------------------------------------------


def _saved(kind: SearchKind) -> Callable[..., None]:
    indexed = set(kind.fields) | {f.removesuffix("_id") for f in kind.fields}

    def receiver(sender: type[Model], instance: Any, update_fields: Any = None, **_: Any) -> None:
        if update_fields is not None and not indexed & set(update_fields):
            return  # a counter or an avatar changed: the document did not
        index_objects(kind, [instance])

    return receiver


def _deleted(kind: SearchKind) -> Callable[..., None]:
    def receiver(sender: type[Model], instance: Any, **_: Any) -> None:
        backends.backend().delete(kind.table, [instance.pk])

    return receiver


def _dependent_changed(kind: SearchKind, objects_of: Callable) -> Callable[..., None]:
    def receiver(sender: type[Model], instance: Any, action: str = "", **_: Any) -> None:
        if action and not action.startswith("post_"):
            return  # m2m_changed: only once the change is made
        index_ids(kind, objects_of(instance))

    return receiver


# Receivers are module-level values so `connect(weak=False)` keeps them, once per kind.
_connected: set[str] = set()


def connect_signals() -> None:
    """Connect every registered kind (called from `SearchConfig.ready`, idempotent)."""
    from django.apps import apps

    for kind in registered().values():
        if kind.name in _connected:
            continue
        _connected.add(kind.name)
        model = kind.model_class()
        uid = f"search:{kind.name}"
        post_save.connect(_saved(kind), sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_deleted(kind), sender=model, weak=False, dispatch_uid=uid)
        for dependent in kind.dependents:
            receiver = _dependent_changed(kind, dependent.objects_of)
            duid = f"{uid}:{dependent.model}:{dependent.m2m_field}"
            if dependent.m2m_field:
                through = getattr(apps.get_model(dependent.model), dependent.m2m_field).through
                m2m_changed.connect(receiver, sender=through, weak=False, dispatch_uid=duid)
                continue
            sender = apps.get_model(dependent.model)
            post_save.connect(receiver, sender=sender, weak=False, dispatch_uid=duid)
            post_delete.connect(receiver, sender=sender, weak=False, dispatch_uid=duid)
