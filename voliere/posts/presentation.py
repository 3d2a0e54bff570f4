"""What a viewer needs to draw a list of post cards, in a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable

from voliere.accounts.models import Account
from voliere.media.attach import media_for
from voliere.posts.cards import post_links
from voliere.posts.models import Bookmark, Like, Post


def decorate_for_viewer(posts: Iterable[Post], viewer: Account | None) -> list[Post]:
    """Attach `shown` (the post itself, or the reposted original), `viewer_liked`,
    `viewer_bookmarked`, `viewer_reposted`, `viewer_is_author`, `visible_quote`,
    `links` (the card's URLs, `voliere.posts.cards.PostLinks`) and `depth` (None unless
    a thread already set it).

    Five queries whatever the number of posts: likes, bookmarks, reposts by the viewer,
    which quoted posts the viewer may see, and the media attachments of the shown posts
    (`media_attachments`, see `voliere.media.attach.media_for`). Posts must come from
    `for_display()`.
    """
    posts = list(posts)
    shown = [p.reblog_of if p.reblog_of_id else p for p in posts]
    shown_ids = {p.id for p in shown}
    quote_ids = {p.quote_of_id for p in shown if p.quote_of_id}
    liked: set[int] = set()
    bookmarked: set[int] = set()
    reposted: set[int] = set()
    visible_quotes: set[int] = set()
    if viewer is not None and shown_ids:
        liked = set(
            Like.objects.filter(account=viewer, post_id__in=shown_ids).values_list(
                "post_id", flat=True
            )
        )
        bookmarked = set(
            Bookmark.objects.filter(account=viewer, post_id__in=shown_ids).values_list(
                "post_id", flat=True
            )
        )
        reposted = set(
            Post.objects.filter(author=viewer, reblog_of_id__in=shown_ids).values_list(
                "reblog_of_id", flat=True
            )
        )
    if quote_ids:
        visible_quotes = set(
            Post.objects.visible_to(viewer).filter(pk__in=quote_ids).values_list("id", flat=True)
        )
    media_for(shown)
    for post, original in zip(posts, shown, strict=True):
        if post.reblog_of_id:
            original.card_poll_id = getattr(post, "reblog_card_poll_id", None)
        post.shown = original
        # A thread sets `depth` on its replies; elsewhere the card asks for it and a missing
        # attribute costs the template engine a `dir()` of the model instance.
        post.depth = getattr(post, "depth", None)
        original.viewer_liked = original.id in liked
        original.viewer_bookmarked = original.id in bookmarked
        original.viewer_reposted = original.id in reposted
        original.viewer_is_author = viewer is not None and original.author_id == viewer.id
        original.visible_quote = (
            original.quote_of if original.quote_of_id in visible_quotes else None
        )
        original.links = post_links(original)
    return posts
