"""Home timelines and notifications for the seeded data, set-based.

`fill_home_timelines` applies the rules of `voliere.timelines.fanout.fan_out_post` to
every post at once, with three `INSERT … SELECT` statements instead of one task per post:

- the author gets their own post;
- direct posts reach the mentioned accounts;
- other posts reach the author's followers, except a reply to someone else, which only
  reaches followers who also follow the account replied to;
- a repost skips the homes that already show the original (reposts go in a second pass,
  after every original is in place, as publishing order guarantees for `fan_out_post`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from voliere.accounts.models import Follow
from voliere.communities.models import Community, Membership
from voliere.communities.models import Kind as CommunityKind
from voliere.demo.activity import Activity
from voliere.demo.bulk import insert_objects
from voliere.demo.cast import Cast
from voliere.demo.graph import Ties
from voliere.demo.ids import PastIds
from voliere.notifications.actions import dedup_key
from voliere.notifications.models import Notification, NotificationKind
from voliere.posts.models import Mention, Post, Visibility
from voliere.timelines.models import TimelineEntry

ENTRY = TimelineEntry._meta.db_table
FOLLOW = Follow._meta.db_table
MENTION = Mention._meta.db_table
POST = Post._meta.db_table
COMMUNITY = Community._meta.db_table
MEMBERSHIP = Membership._meta.db_table

_INSERT = (
    f"INSERT INTO {ENTRY} (owner_id, post_id, author_id, original_author_id) "  # noqa: S608
    "SELECT {owner}, p.id, p.author_id, o.author_id "
    f"FROM {POST} p LEFT JOIN {POST} o ON o.id = p.reblog_of_id "
    "{join} WHERE p.deleted_at IS NULL AND {where} AND {reposts} AND ("
    # As `fan_out_post`: a secret community's posts only reach its members' homes.
    f"p.community_id IS NULL OR EXISTS (SELECT 1 FROM {COMMUNITY} c"
    f" WHERE c.id = p.community_id AND c.kind <> '{CommunityKind.SECRET.value}')"
    f" OR EXISTS (SELECT 1 FROM {MEMBERSHIP} cm"
    " WHERE cm.community_id = p.community_id AND cm.account_id = {owner})) "
    "ON CONFLICT (owner_id, post_id) DO NOTHING"
)
_ORIGINALS = "p.reblog_of_id IS NULL"
_REPOSTS = (
    "p.reblog_of_id IS NOT NULL AND NOT EXISTS "  # noqa: S608 — table names only
    f"(SELECT 1 FROM {ENTRY} e WHERE e.owner_id = {{owner}} AND e.post_id = p.reblog_of_id)"
)
_TO_AUTHOR = dict(owner="p.author_id", join="", where="1 = 1")
_TO_MENTIONED = dict(
    owner="m.account_id", join=f"JOIN {MENTION} m ON m.post_id = p.id",
    where=f"p.visibility = '{Visibility.DIRECT.value}'",
)
_TO_FOLLOWERS = dict(
    owner="f.follower_id", join=f"JOIN {FOLLOW} f ON f.followee_id = p.author_id",
    where=(
        f"p.visibility <> '{Visibility.DIRECT.value}' AND (p.in_reply_to_account_id IS NULL"  # noqa: S608
        " OR p.in_reply_to_account_id = p.author_id"
        f" OR EXISTS (SELECT 1 FROM {FOLLOW} f2 WHERE f2.follower_id = f.follower_id"
        " AND f2.followee_id = p.in_reply_to_account_id))"
    ),
)


def fill_home_timelines() -> int:
    """Materialize every home timeline; returns the number of entries."""
    with connection.cursor() as cursor:
        for reposts in (_ORIGINALS, _REPOSTS):
            for parts in (_TO_AUTHOR, _TO_MENTIONED, _TO_FOLLOWERS):
                cursor.execute(_INSERT.format(reposts=reposts.format(**parts), **parts))
    return TimelineEntry.objects.count()


UNREAD = 12


def notify_demo_logins(cast: Cast, ties: Ties, activity: Activity) -> int:
    """Notifications (mentions, replies, reposts, likes, follows) for the demo logins and
    @acme, with the same kinds and dedup keys `voliere.notifications.actions.notify` writes.
    All but the latest few per recipient are marked read."""
    recipients = {a.id for a in cast.logins.values()} | {cast.acme.id}
    posts, likes, mentions = activity.posts, activity.likes, activity.mentions
    by_id = {p.id: p for p in posts}
    events: list[tuple[datetime, int, int, str, int | None]] = []
    for mention in mentions:
        post = by_id[mention.post_id]
        if mention.account_id in recipients and post.author_id != mention.account_id:
            kind = (NotificationKind.REPLY if post.in_reply_to_account_id == mention.account_id
                    else NotificationKind.MENTION)
            events.append((post.created_at, mention.account_id, post.author_id, kind, post.id))
    for post in posts:
        original = by_id.get(post.reblog_of_id) if post.reblog_of_id else None
        if original is not None and original.author_id in recipients:
            events.append((post.created_at, original.author_id, post.author_id,
                           NotificationKind.REPOST, original.id))
    for like in likes:
        author = by_id[like.post_id].author_id
        if author in recipients:
            events.append((like.created_at, author, like.account_id, NotificationKind.LIKE,
                           like.post_id))
    for (follower, followee), followed_at in ties.items():
        if followee in recipients:
            events.append((followed_at, followee, follower,
                           NotificationKind.FOLLOW, None))
    return _insert_notifications(events)


def _insert_notifications(events: list[tuple[datetime, int, int, str, int | None]]) -> int:
    ids = PastIds()
    rows: dict[str, Notification] = {}
    for at, recipient, actor, kind, post_id in sorted(events, key=lambda e: e[0]):
        key = dedup_key(kind=kind, recipient_id=recipient, actor_id=actor, post_id=post_id)
        if recipient == actor or key in rows:
            continue
        rows[key] = Notification(id=ids.for_time(at), recipient_id=recipient, actor_id=actor,
                                 kind=kind, post_id=post_id, dedup_key=key, created_at=at,
                                 read_at=at)
    newest: dict[int, list[Notification]] = {}
    for row in sorted(rows.values(), key=lambda n: n.id, reverse=True):
        newest.setdefault(row.recipient_id, []).append(row)
    for recent in newest.values():
        for row in recent[:UNREAD]:
            row.read_at = None
    insert_objects(list(rows.values()), ["id", "recipient", "actor", "kind", "post", "dedup_key",
                                         "created_at", "read_at"])
    return len(rows)
