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

from django.db.models import Exists, OuterRef, QuerySet

from voliere.accounts.models import Account, Mute
from voliere.core.pagination import Cursor, Page, paginate
from voliere.lists.models import List
from voliere.lists.queries import exclusive_member_ids, list_posts
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


def home_page(viewer: Account, cursor: Cursor) -> Page[Post]:
    """The materialized home timeline (the web's `home_timeline`), minus members of the
    viewer's exclusive lists. The cursor advances on entries, so a post hidden at read
    time never stalls paging."""
    muted = Mute.objects.filter(muter=viewer).values("muted")
    entries = (
        TimelineEntry.objects.filter(owner=viewer)
        .exclude(author_id__in=muted)
        .exclude(original_author_id__in=muted)
    )
    if List.objects.filter(owner=viewer, exclusive=True).exists():
        entries = entries.exclude(author_id__in=exclusive_member_ids(viewer))
    entry_page = paginate(
        entries.values_list("post_id", flat=True), cursor, field="post_id", key=lambda pk: pk
    )
    ids = list(entry_page.items)
    posts = {p.id: p for p in Post.objects.visible_to(viewer).for_display().filter(pk__in=ids)}
    return Page(
        items=[posts[pk] for pk in ids if pk in posts],
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


__all__ = ["EMPTY", "TagQuery", "home_page", "list_page", "public_page", "tag_page"]
