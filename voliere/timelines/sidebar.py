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
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from voliere.accounts.models import Account, Block, Follow
from voliere.communities.models import Kind
from voliere.core.ids import lowest_id_at
from voliere.posts.models import PostHashtag

TRENDING_WINDOW = timedelta(days=7)
TRENDING_LIMIT = 8
TRENDING_CACHE_SECONDS = 5 * 60
SUGGESTIONS_LIMIT = 5
SUGGESTIONS_CACHE_SECONDS = 10 * 60

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
    """Top hashtags by number of live posts of these visibilities in the last 7 days,
    outside secret communities.

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
        # Trends are shared by everyone in a scope: a secret community's posts never count
        # (even its hashtags' names would tell outsiders what it discusses).
        .exclude(post__community__kind=Kind.SECRET)
        .values("hashtag__name")
        .annotate(posts=Count("post_id"))
        .order_by("-posts", "hashtag__name")[:TRENDING_LIMIT]
    )
    return [TrendingTag(row["hashtag__name"], row["posts"]) for row in rows]


FRIENDS_SAMPLED = 50


def follow_suggestions(viewer: Account | None, limit: int = SUGGESTIONS_LIMIT) -> list[Account]:
    """Accounts to follow: not the viewer, not followed yet, no block either way, not suspended.

    Ranked by how many of the accounts the viewer follows follow them (friends of friends,
    counted over the viewer's 50 most recent follows so the cost stays bounded), then
    topped up with the most followed accounts, so a new member still gets suggestions.
    Cached per viewer for a few minutes; following someone changes the key. Anonymous
    visitors get none.
    """
    if viewer is None:
        return []
    key = f"voliere:suggest:{viewer.pk}:{viewer.following_count}:{limit}"
    ids = cache.get(key)
    if ids is None:
        ids = _suggested_ids(viewer, limit)
        cache.set(key, ids, SUGGESTIONS_CACHE_SECONDS)
    # The cached ids are re-checked on every read: a follow or a block made since (which
    # need not change the key) must take effect at once.
    still_open = (
        Account.objects.active()
        .filter(pk__in=ids)
        .exclude(Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk"))))
        .exclude(Exists(Block.objects.filter(blocker=viewer, blocked=OuterRef("pk"))))
        .exclude(Exists(Block.objects.filter(blocker=OuterRef("pk"), blocked=viewer)))
    )
    accounts = {a.pk: a for a in still_open}
    return [accounts[pk] for pk in ids if pk in accounts]


def _suggested_ids(viewer: Account, limit: int) -> list[int]:
    """Simple index reads, filtered in Python: the exclusions (followed, blocked either
    way, suspended) as NOT IN subqueries made PostgreSQL scan all accounts (≈ 0.5 s)."""
    followed = set(Follow.objects.filter(follower=viewer).values_list("followee_id", flat=True))
    excluded = followed | {viewer.pk}
    excluded |= set(Block.objects.filter(blocker=viewer).values_list("blocked_id", flat=True))
    excluded |= set(Block.objects.filter(blocked=viewer).values_list("blocker_id", flat=True))
    recent_follows = Follow.objects.filter(follower=viewer).order_by("-id").values("followee")
    ranked = (
        Follow.objects.filter(follower__in=recent_follows[:FRIENDS_SAMPLED])
        .values("followee")
        .annotate(mutual=Count("*"))
        .order_by("-mutual", "followee")
        .values_list("followee", flat=True)
    )
    candidates = [pk for pk in ranked if pk not in excluded]
    popular = Account.objects.order_by("-followers_count", "id").values_list("pk", flat=True)
    candidates += [pk for pk in popular[: limit + len(excluded) + 20] if pk not in excluded]
    suspended = set(
        Account.objects.filter(pk__in=candidates, is_suspended=True).values_list("pk", flat=True)
    )
    chosen: list[int] = []
    for pk in candidates:
        if pk not in suspended and pk not in chosen:
            chosen.append(pk)
            if len(chosen) == limit:
                break
    return chosen
