"""The posts behind the Mastodon timeline endpoints, as pages of undecorated posts.

Each function mirrors the web page of the same timeline (`voliere.timelines.queries`):
same rows, same `visible_to`, same mutes; only the decoration differs (the Mastodon
serializer computes the viewer's flags itself, so the web card's decoration would be
wasted work). Pages are `Page[Post]` from `for_display()`, newest first, in a constant
number of queries whatever the page size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from voliere.accounts.models import Account, Mute
from voliere.core.pagination import Cursor, Page, paginate
from voliere.lists.models import List, ListMember
from voliere.lists.queries import list_posts
from voliere.mastodon.compiled_sql import CompiledQuery
from voliere.mastodon.status_cache import HOME_COLUMNS
from voliere.media.models import MediaAttachment
from voliere.posts.models import Hashtag, Post, PostHashtag, Visibility
from voliere.timelines.models import TimelineEntry

EMPTY: Page[Post] = Page(items=[], next_max_id=None, prev_min_id=None)


def _with_media() -> Exists:
    return Exists(
        MediaAttachment.objects.filter(subject_type="posts.post", subject_id=OuterRef("pk"))
    )


def _page(viewer: Account | None, queryset: QuerySet[Post], cursor: Cursor) -> Page[Post]:
    return paginate(queryset.visible_to(viewer).not_muted_by(viewer).for_display(), cursor)


def _home_entries(viewer: Account | int) -> QuerySet[TimelineEntry]:
    """The viewer's timeline rows minus muted authors and members of their exclusive
    lists (both as subqueries: an empty list costs nothing, and the SQL keeps one shape)."""
    muted = Mute.objects.filter(muter=viewer).values("muted")
    exclusive = ListMember.objects.filter(list__owner=viewer, list__exclusive=True)
    return (
        TimelineEntry.objects.filter(owner=viewer)
        .exclude(author_id__in=muted)
        .exclude(original_author_id__in=muted)
        .exclude(author_id__in=exclusive.values("account_id"))
    )


def home_page(viewer: Account, cursor: Cursor) -> Page[Post]:
    """The materialized home timeline (the web's `home_timeline`), minus members of the
    viewer's exclusive lists. The cursor advances on entries, so a post hidden at read
    time never stalls paging."""
    entry_page = _home_entry_ids(viewer.id, cursor)
    ids = list(entry_page.items)
    posts = {p.id: p for p in Post.objects.visible_to(viewer).for_display().filter(pk__in=ids)}
    return Page(
        items=[posts[pk] for pk in ids if pk in posts],
        next_max_id=entry_page.next_max_id,
        prev_min_id=entry_page.prev_min_id,
    )


# --- The compiled fast path of GET /api/v1/timelines/home -----------------------------

# Cursor bounds a page may carry, in the order their values follow the viewer's id.
_BOUNDS = ("max_id", "since_id", "min_id")


def _entries_query(shape: tuple, viewer_id: int, *bounds: int) -> QuerySet:
    """`paginate()`'s query over `_home_entries`, for the bounds named in `shape`."""
    names, limit = shape
    qs = _home_entries(viewer_id)
    values = dict(zip(names, bounds, strict=True))
    if "max_id" in values:
        qs = qs.filter(post_id__lt=values["max_id"])
    if "since_id" in values:
        qs = qs.filter(post_id__gt=values["since_id"])
    if "min_id" in values:
        return qs.filter(post_id__gt=values["min_id"]).order_by("post_id").values_list(
            "post_id", flat=True
        )[:limit]
    return qs.order_by("-post_id").values_list("post_id", flat=True)[: limit + 1]


_ENTRIES = CompiledQuery(_entries_query, name="home entries")


def _home_entry_ids(viewer_id: int, cursor: Cursor) -> Page[int]:
    """A page of post ids from the viewer's timeline rows, as `paginate()` pages them."""
    names = tuple(name for name in _BOUNDS if getattr(cursor, name) is not None)
    values = [viewer_id, *(getattr(cursor, name) for name in names)]
    ids = [row[0] for row in _ENTRIES.rows((names, cursor.limit), values)]
    if cursor.min_id is not None:
        ids.reverse()
        return Page(items=ids, next_max_id=ids[-1] if ids else None,
                    prev_min_id=ids[0] if ids else cursor.min_id)
    has_older = len(ids) > cursor.limit
    ids = ids[: cursor.limit]
    return Page(items=ids, next_max_id=ids[-1] if ids and has_older else None,
                prev_min_id=ids[0] if ids else cursor.min_id)


def _visible_rows_query(shape: Any, viewer_id: int, *ids: int) -> QuerySet:
    """The page's posts that `visible_to` lets the viewer see, as `HOME_COLUMNS` rows."""
    viewer = Account(id=viewer_id)
    return Post.objects.visible_to(viewer).filter(pk__in=ids).values_list(*HOME_COLUMNS)


_VISIBLE = CompiledQuery(_visible_rows_query, name="home visible posts")


def home_rows(viewer: Account, cursor: Cursor) -> Page[tuple]:
    """The home page as raw `HOME_COLUMNS` rows, in timeline order: the same entries and
    the same `visible_to` as `home_page`, in two compiled queries (no ORM work per call).
    Serialized by `status_cache.render_rows`."""
    entry_page = _home_entry_ids(viewer.id, cursor)
    ids = entry_page.items
    found = {row[0]: row for row in _VISIBLE.rows(None, [viewer.id, *ids])} if ids else {}
    return Page(
        items=[found[pk] for pk in ids if pk in found],
        next_max_id=entry_page.next_max_id,
        prev_min_id=entry_page.prev_min_id,
    )


def public_page(
    viewer: Account | None, cursor: Cursor, *, remote: bool = False, only_media: bool = False
) -> Page[Post]:
    """The instance's timeline (the web's organisation timeline): public posts, and
    internal ones for members, reposts left out. Every post is local: `remote` is empty."""
    if remote:
        return EMPTY
    qs = Post.objects.filter(
        visibility__in=(Visibility.PUBLIC, Visibility.INTERNAL), reblog_of__isnull=True
    )
    if only_media:
        qs = qs.filter(_with_media())
    return _page(viewer, qs, cursor)


@dataclass(frozen=True)
class TagQuery:
    """`tag` plus Mastodon's `any[]`, `all[]` and `none[]` (names, any case, no '#')."""

    tag: str
    any: Sequence[str] = ()
    all: Sequence[str] = ()
    none: Sequence[str] = ()


def _tag_ids(names: Sequence[str]) -> dict[str, int]:
    folded = [n.lstrip("#").casefold() for n in names if n.strip("# ")]
    return dict(Hashtag.objects.filter(name__in=folded).values_list("name", "id"))


def tag_page(
    viewer: Account | None,
    query: TagQuery,
    cursor: Cursor,
    *,
    remote: bool = False,
    only_media: bool = False,
) -> Page[Post]:
    """Posts carrying the tag or any of `any`, carrying every tag of `all`, none of `none`,
    as visible to the viewer (the web's hashtag page, with Mastodon's extra filters)."""
    if remote:
        return EMPTY
    wanted = [query.tag, *query.any]
    known = _tag_ids([*wanted, *query.all, *query.none])
    any_ids = [known[n] for n in (w.lstrip("#").casefold() for w in wanted) if n in known]
    if not any_ids:
        return EMPTY
    qs = Post.objects.filter(
        Exists(PostHashtag.objects.filter(hashtag_id__in=any_ids, post=OuterRef("pk")))
    )
    for name in query.all:
        tag_id = known.get(name.lstrip("#").casefold())
        if tag_id is None:
            return EMPTY  # a tag nobody used: no post can carry it
        qs = qs.filter(Exists(PostHashtag.objects.filter(hashtag_id=tag_id, post=OuterRef("pk"))))
    none_ids = [known[n] for n in (x.lstrip("#").casefold() for x in query.none) if n in known]
    if none_ids:
        qs = qs.exclude(
            Exists(PostHashtag.objects.filter(hashtag_id__in=none_ids, post=OuterRef("pk")))
        )
    if only_media:
        qs = qs.filter(_with_media())
    return _page(viewer, qs, cursor)


def list_page(lst: List, viewer: Account, cursor: Cursor) -> Page[Post]:
    return paginate(list_posts(lst, viewer).for_display(), cursor)


__all__ = ["EMPTY", "TagQuery", "home_page", "home_rows", "list_page", "public_page", "tag_page"]
