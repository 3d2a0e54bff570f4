"""Timeline pages: each returns a `Page` of decorated posts, newest first, in a constant
number of queries whatever the page size (asserted in tests)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from voliere.accounts.models import Account, Block, Mute
from voliere.core.pagination import Cursor, Page, paginate
from voliere.media.queries import has_media
from voliere.posts.models import Bookmark, Hashtag, Like, Post, PostHashtag, Visibility
from voliere.posts.presentation import decorate_for_viewer
from voliere.timelines.models import TimelineEntry


def _page_of_posts(viewer: Account | None, queryset, cursor: Cursor) -> Page[Post]:
    page = paginate(queryset.visible_to(viewer).not_muted_by(viewer).for_display(), cursor)
    return Page(
        items=decorate_for_viewer(page.items, viewer),
        next_max_id=page.next_max_id,
        prev_min_id=page.prev_min_id,
    )


def home_timeline(viewer: Account, cursor: Cursor) -> Page[Post]:
    """The viewer's materialized home timeline, with mutes applied and visibility re-checked.

    Two steps: a page of entry ids from the (owner, post) index, then those posts. The
    cursor advances on entries, so a post hidden at read time never stalls paging.
    """
    muted = Mute.objects.filter(muter=viewer).values("muted")
    entries = (
        TimelineEntry.objects.filter(owner=viewer)
        .exclude(author_id__in=muted)
        .exclude(original_author_id__in=muted)
    )
    entry_page = paginate(entries.values_list("post_id", flat=True), cursor, field="post_id",
                          key=lambda post_id: post_id)
    posts = {
        p.id: p
        for p in Post.objects.visible_to(viewer).for_display().filter(pk__in=list(entry_page.items))
    }
    ordered = [posts[pid] for pid in entry_page.items if pid in posts]
    return Page(
        items=decorate_for_viewer(ordered, viewer),
        next_max_id=entry_page.next_max_id,
        prev_min_id=entry_page.prev_min_id,
    )


def organisation_timeline(viewer: Account | None, cursor: Cursor) -> Page[Post]:
    """Every public and internal post of the instance (reposts left out)."""
    qs = Post.objects.filter(
        visibility__in=(Visibility.PUBLIC, Visibility.INTERNAL), reblog_of__isnull=True
    )
    return _page_of_posts(viewer, qs, cursor)


def hashtag_timeline(viewer: Account | None, name: str, cursor: Cursor) -> Page[Post]:
    tag = Hashtag.objects.filter(name=name.casefold()).first()
    if tag is None:
        return Page(items=[], next_max_id=None, prev_min_id=None)
    tagged = PostHashtag.objects.filter(hashtag=tag, post=OuterRef("pk"))
    return _page_of_posts(viewer, Post.objects.filter(Exists(tagged)), cursor)


PROFILE_TABS = ("posts", "replies", "media")


def profile_timeline(
    viewer: Account | None, account: Account, cursor: Cursor, *, tab: str = "posts"
) -> Page[Post]:
    """`posts`: posts, self-replies and reposts; `replies`: everything; `media`: the
    account's own posts and replies with attachments (not reposts, as Mastodon's
    `only_media`)."""
    qs = Post.objects.filter(author=account)
    if tab == "posts":
        qs = qs.filter(Q(in_reply_to_account__isnull=True) | Q(in_reply_to_account=account))
    elif tab == "media":
        qs = qs.filter(has_media("posts.post"), reblog_of__isnull=True)
    return _page_of_posts(viewer, qs, cursor)


def _by_interaction(viewer: Account, model, cursor: Cursor) -> Page[Post]:
    """Bookmarks or likes, ordered by when the viewer made them (their time-ordered id)."""
    rows = model.objects.filter(account=viewer).filter(
        post__in=Post.objects.visible_to(viewer)
    )
    page = paginate(rows.values_list("id", "post_id"), cursor, key=lambda row: row[0])
    posts = {p.id: p for p in Post.objects.for_display().filter(pk__in=[r[1] for r in page.items])}
    ordered = [posts[post_id] for _id, post_id in page.items if post_id in posts]
    return Page(
        items=decorate_for_viewer(ordered, viewer),
        next_max_id=page.next_max_id,
        prev_min_id=page.prev_min_id,
    )


def bookmarks(viewer: Account, cursor: Cursor) -> Page[Post]:
    return _by_interaction(viewer, Bookmark, cursor)


def likes(viewer: Account, cursor: Cursor) -> Page[Post]:
    return _by_interaction(viewer, Like, cursor)


def is_blocking(viewer: Account | None, account: Account) -> bool:
    return viewer is not None and Block.objects.filter(blocker=viewer, blocked=account).exists()
