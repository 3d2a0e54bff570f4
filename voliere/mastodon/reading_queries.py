"""Reads behind Mastodon's "reading" endpoints: conversations of direct posts, trends.

Conversations are computed, not stored: the direct posts the viewer may see
(`visible_to`: they wrote them or are mentioned), grouped by thread (`conversation_id`),
each represented by its newest visible post. The viewer's per-conversation state (read
up to, removed up to) lives in `voliere.lists.models.ConversationState`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from voliere.accounts.models import Account
from voliere.core.exceptions import NotFound
from voliere.core.ids import lowest_id_at
from voliere.core.pagination import Cursor, Page, paginate
from voliere.lists.models import ConversationState
from voliere.posts.models import Mention, Post, PostHashtag, Visibility
from voliere.timelines.sidebar import trending_hashtags, trending_scope

TREND_DAYS = 7


@dataclass
class Conversation:
    id: int  # the thread's conversation_id
    last_status: Post
    participants: list[Account]
    unread: bool


def _conversation_rows(viewer: Account):
    state = ConversationState.objects.filter(
        account=viewer, conversation_id=OuterRef("conversation_id")
    )
    hidden = Coalesce(
        Subquery(state.values("hidden_up_to")[:1]), Value(0), output_field=IntegerField()
    )
    return (
        Post.objects.visible_to(viewer)
        .filter(visibility=Visibility.DIRECT, reblog_of__isnull=True)
        .values("conversation_id")
        .annotate(last_id=Max("id"), hidden=hidden)
        .filter(last_id__gt=hidden)
    )


def conversations_page(viewer: Account, cursor: Cursor) -> Page[Conversation]:
    """Newest conversation first, paginated on the id of each one's newest post. Three
    queries: the grouped page, its newest posts, and their mentioned accounts."""
    rows = paginate(_conversation_rows(viewer), cursor, field="last_id", key=lambda r: r["last_id"])
    items = _conversations(viewer, [row["last_id"] for row in rows.items])
    return Page(items=items, next_max_id=rows.next_max_id, prev_min_id=rows.prev_min_id)


def _conversations(viewer: Account, last_ids: list[int]) -> list[Conversation]:
    posts = {p.id: p for p in Post.objects.for_display().filter(pk__in=last_ids)}
    mentions: dict[int, list[Account]] = {}
    for mention in Mention.objects.filter(post_id__in=last_ids).select_related("account"):
        mentions.setdefault(mention.post_id, []).append(mention.account)
    states = dict(
        ConversationState.objects.filter(
            account=viewer, conversation_id__in=[p.conversation_id for p in posts.values()]
        ).values_list("conversation_id", "read_up_to")
    )
    result = []
    for last_id in last_ids:
        post = posts.get(last_id)
        if post is None:
            continue
        people = {a.id: a for a in [post.author, *mentions.get(last_id, [])] if a.id != viewer.id}
        read_up_to = states.get(post.conversation_id, 0)
        result.append(
            Conversation(
                id=post.conversation_id,
                last_status=post,
                participants=list(people.values()),
                unread=post.author_id != viewer.id and last_id > read_up_to,
            )
        )
    return result


def access_conversation(viewer: Account, conversation_id: str) -> Conversation:
    """The viewer's conversation (even one they removed: read and delete stay idempotent);
    NotFound when they take part in no visible direct post of that thread."""
    text = str(conversation_id)
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        raise NotFound("conversation not found")
    last_id = (
        Post.objects.visible_to(viewer)
        .filter(visibility=Visibility.DIRECT, conversation_id=int(text), reblog_of__isnull=True)
        .aggregate(last=Max("id"))["last"]
    )
    if last_id is None:
        raise NotFound("conversation not found")
    return _conversations(viewer, [last_id])[0]


@dataclass
class TagTrend:
    name: str
    history: list[dict[str, str]]  # newest day first: {"day", "uses", "accounts"}


def trending_tags(viewer: Account | None, *, limit: int, offset: int) -> list[TagTrend]:
    """The side column's trending hashtags (same scope rules, same cache), with Mastodon's
    daily history over 7 days: one grouped query for all of them."""
    names = [t.name for t in trending_hashtags(viewer)][offset : offset + limit]
    if not names:
        return []
    visibilities = ("public",) if trending_scope(viewer) == "public" else ("public", "internal")
    today = timezone.localdate()
    first_day = today - timedelta(days=TREND_DAYS - 1)
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    rows = (
        PostHashtag.objects.filter(
            hashtag__name__in=names,
            post_id__gte=lowest_id_at(start),
            post__visibility__in=visibilities,
            post__deleted_at__isnull=True,
            post__author__is_suspended=False,
        )
        .annotate(day=TruncDate("post__created_at"))
        .values("hashtag__name", "day")
        .annotate(uses=Count("id"), accounts=Count("post__author", distinct=True))
    )
    counts = {(r["hashtag__name"], r["day"]): (r["uses"], r["accounts"]) for r in rows}
    trends = []
    for name in names:
        history = []
        for back in range(TREND_DAYS):
            day = today - timedelta(days=back)
            midnight = timezone.make_aware(datetime.combine(day, time.min))
            history.append(
                {
                    "day": str(int(midnight.timestamp())),
                    "uses": str(counts.get((name, day), (0, 0))[0]),
                    "accounts": str(counts.get((name, day), (0, 0))[1]),
                }
            )
        trends.append(TagTrend(name=name, history=history))
    return trends


def trending_posts(viewer: Account | None, *, limit: int, offset: int) -> list[Post]:
    """The week's most liked and reposted original posts the viewer may see, among public
    and internal ones only: a trend is a shared list, never built from private posts."""
    since = lowest_id_at(timezone.now() - timedelta(days=TREND_DAYS))
    qs = (
        Post.objects.filter(
            id__gte=since,
            reblog_of__isnull=True,
            visibility__in=(Visibility.PUBLIC, Visibility.INTERNAL),
        )
        .visible_to(viewer)
        .not_muted_by(viewer)
        .filter(likes_count__gt=0)
        .order_by("-likes_count", "-reblogs_count", "-id")
        .for_display()
    )
    return list(qs[offset : offset + limit])


