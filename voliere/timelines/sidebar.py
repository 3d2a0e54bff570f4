"""Reads for the side column of the timeline pages: trending hashtags and who to follow.

Both are aggregate reads that never reveal a post the viewer could not see: trending
counts only public posts (anonymous visitors) or public and internal posts (members),
never followers-only or direct ones. The trending list is shared by every viewer of a
scope, so it is cached for a few minutes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from voliere.accounts.models import Account, Block, Follow
from voliere.core.ids import lowest_id_at
from voliere.posts.models import PostHashtag

TRENDING_WINDOW = timedelta(days=7)
TRENDING_LIMIT = 8
TRENDING_CACHE_SECONDS = 5 * 60
SUGGESTIONS_LIMIT = 5

_SCOPES = {"public": ("public",), "members": ("public", "internal")}


class TrendingTag(NamedTuple):
    name: str
    posts: int


def trending_scope(viewer: Account | None) -> str:
    """"public" for anonymous visitors, "members" for signed-in ones."""
    return "public" if viewer is None else "members"


def trending_hashtags(viewer: Account | None) -> list[TrendingTag]:
    """The most used hashtags of the last 7 days in the viewer's scope, cached 5 minutes."""
    scope = trending_scope(viewer)
    key = f"voliere:trending:{scope}"
    tags = cache.get(key)
    if tags is None:
        tags = count_trending_hashtags(_SCOPES[scope])
        cache.set(key, tags, TRENDING_CACHE_SECONDS)
    return tags


def count_trending_hashtags(visibilities: tuple[str, ...]) -> list[TrendingTag]:
    """Top hashtags by number of live posts of these visibilities in the last 7 days.

    The time window is an id range on `post_id` (ids are time-ordered), so the database
    reads only the recent part of the hashtag links, however many posts there are.
    """
    since = lowest_id_at(timezone.now() - TRENDING_WINDOW)
    rows = (
        PostHashtag.objects.filter(
            post_id__gte=since,
            post__visibility__in=visibilities,
            post__deleted_at__isnull=True,
            post__author__is_suspended=False,
        )
        .values("hashtag__name")
        .annotate(posts=Count("post_id"))
        .order_by("-posts", "hashtag__name")[:TRENDING_LIMIT]
    )
    return [TrendingTag(row["hashtag__name"], row["posts"]) for row in rows]


def follow_suggestions(viewer: Account | None, limit: int = SUGGESTIONS_LIMIT) -> list[Account]:
    """Accounts to follow: not the viewer, not followed yet, no block either way, not suspended.

    Ranked by how many of the accounts the viewer follows follow them (friends of friends),
    then by followers, so a new member with no follows gets the most followed accounts.
    One query. Anonymous visitors get none.
    """
    if viewer is None:
        return []
    followed = Follow.objects.filter(follower=viewer).values("followee")
    blocked = Block.objects.filter(blocker=viewer).values("blocked")
    blocking = Block.objects.filter(blocked=viewer).values("blocker")
    friends_following = (
        Follow.objects.filter(followee=OuterRef("pk"), follower__in=followed)
        .order_by()
        .values("followee")
        .annotate(count=Count("*"))
        .values("count")
    )
    return list(
        Account.objects.active()
        .exclude(pk=viewer.pk)
        .exclude(pk__in=followed)
        .exclude(pk__in=blocked)
        .exclude(pk__in=blocking)
        .annotate(mutual=Coalesce(Subquery(friends_following), 0))
        .order_by("-mutual", "-followers_count", "handle_lower")[:limit]
    )
