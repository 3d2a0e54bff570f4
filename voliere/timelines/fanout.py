"""Writing posts into home timelines, and taking them out.

Fan-out is one `INSERT … SELECT` per post: the database copies the follower list into
timeline rows itself, so 10,000 followers cost one statement, not 10,000 round trips.
All functions are idempotent (ON CONFLICT DO NOTHING / deletes), so a task retried or
run twice changes nothing.
"""

from __future__ import annotations

from django.db import connection, transaction

from voliere.accounts.models import Account, Follow
from voliere.communities.models import Kind as CommunityKind
from voliere.communities.models import Membership
from voliere.posts.models import Mention, Post, Visibility
from voliere.timelines.models import TimelineEntry

ENTRY = TimelineEntry._meta.db_table
FOLLOW = Follow._meta.db_table
MENTION = Mention._meta.db_table
POST = Post._meta.db_table
MEMBERSHIP = Membership._meta.db_table


@transaction.atomic
def fan_out_post(post_id: int) -> int:
    """Put a post into the home timelines of everyone who should see it there.

    - the author, always;
    - direct posts: the mentioned accounts;
    - other posts: the author's followers; a reply to someone else only reaches followers
      who also follow the account replied to (as on Mastodon);
    - a repost skips the homes that already show the original post;
    - a secret community's post only reaches its members.
    Returns the number of rows the database reports inserted.
    """
    post = (
        Post.objects.filter(pk=post_id, deleted_at__isnull=True)
        .select_related("reblog_of", "community")
        .first()
    )
    if post is None:
        return 0
    original_author = post.reblog_of.author_id if post.reblog_of_id else None
    params = [post.id, post.author_id, original_author]
    if post.visibility == Visibility.DIRECT:
        source = f"SELECT account_id FROM {MENTION} WHERE post_id = %s"  # noqa: S608
        source_params = [post.id]
    else:
        source = f"SELECT follower_id FROM {FOLLOW} f WHERE f.followee_id = %s"  # noqa: S608
        source_params = [post.author_id]
        if post.in_reply_to_account_id and post.in_reply_to_account_id != post.author_id:
            source += (
                f" AND EXISTS (SELECT 1 FROM {FOLLOW} f2 WHERE f2.follower_id = f.follower_id"  # noqa: S608
                " AND f2.followee_id = %s)"
            )
            source_params.append(post.in_reply_to_account_id)
    # A WHERE clause is needed anyway: it settles SQLite's parsing ambiguity between a
    # join's ON and the upsert's ON CONFLICT.
    conditions, where_params = ["true"], []
    if post.reblog_of_id:
        conditions.append(
            f"NOT EXISTS (SELECT 1 FROM {ENTRY} e"  # noqa: S608
            " WHERE e.owner_id = recipients.owner_id AND e.post_id = %s)"
        )
        where_params.append(post.reblog_of_id)
    if post.community_id and post.community.kind == CommunityKind.SECRET:
        # Reads hide a secret community's posts from non-members anyway; not writing the
        # rows keeps their homes (and anything reading the table) clean.
        conditions.append(
            f"EXISTS (SELECT 1 FROM {MEMBERSHIP} m"  # noqa: S608
            " WHERE m.account_id = recipients.owner_id AND m.community_id = %s)"
        )
        where_params.append(post.community_id)
    sql = (
        f"INSERT INTO {ENTRY} (owner_id, post_id, author_id, original_author_id) "  # noqa: S608
        f"SELECT owner_id, %s, %s, %s FROM (SELECT %s AS owner_id UNION {source}) AS recipients "
        f"WHERE {' AND '.join(conditions)} ON CONFLICT (owner_id, post_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, post.author_id, *source_params, *where_params])
        return max(cursor.rowcount, 0)


def remove_post(post_id: int) -> None:
    TimelineEntry.objects.filter(post_id=post_id).delete()


def remove_author_from_home(
    owner_id: int, author_id: int, *, with_reposts_of: bool = False
) -> None:
    """After an unfollow: `author_id`'s posts and reposts leave `owner_id`'s home.

    After a block (`with_reposts_of`), other people's reposts of `author_id` leave too.
    """
    entries = TimelineEntry.objects.filter(owner_id=owner_id)
    if with_reposts_of:
        entries.filter(original_author_id=author_id).delete()
    entries.filter(author_id=author_id).delete()


BACKFILL_SIZE = 40


def backfill_after_follow(follower_id: int, followee_id: int) -> None:
    """After a new follow: the followee's latest posts the follower may see join their home."""
    follower = Account.objects.filter(pk=follower_id).first()
    if follower is None:
        return
    already_home = TimelineEntry.objects.filter(owner_id=follower_id).values("post_id")
    recent = (
        Post.objects.visible_to(follower)
        .filter(author_id=followee_id)
        .exclude(visibility=Visibility.DIRECT)
        .exclude(reblog_of__in=already_home)
        .order_by("-id")
        .values_list("id", "author_id", "reblog_of__author_id")[:BACKFILL_SIZE]
    )
    TimelineEntry.objects.bulk_create(
        [
            TimelineEntry(owner_id=follower_id, post_id=pid, author_id=aid, original_author_id=oid)
            for pid, aid, oid in recent
        ],
        ignore_conflicts=True,
    )
