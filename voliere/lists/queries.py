"""Reads about lists: the owner's lists, members, and the list timeline.

The list timeline is computed at read time from members' posts (the `(author, -id)`
index), then filtered through `visible_to` and the owner's mutes like every timeline; a
member the owner no longer follows contributes nothing even before the clean-up task has
removed them.
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from voliere.accounts.models import Account, Follow
from voliere.core.pagination import Cursor, Page, paginate
from voliere.lists.models import List, ListMember, RepliesPolicy
from voliere.posts.models import Post
from voliere.posts.presentation import decorate_for_viewer


def lists_of(owner: Account) -> QuerySet[List]:
    return List.objects.filter(owner=owner).order_by("id")


def lists_containing(owner: Account, account: Account) -> QuerySet[List]:
    """The owner's lists that `account` is a member of."""
    return lists_of(owner).filter(members__account=account)


def member_ids(lst: List) -> QuerySet:
    """Ids of members the owner still follows (the only ones that count)."""
    followed = Follow.objects.filter(follower_id=lst.owner_id).values("followee")
    return ListMember.objects.filter(list=lst, account__in=followed).values("account_id")


def members_page(lst: List, cursor: Cursor) -> Page[Account]:
    """Members, newest additions first, paginated on the membership id."""
    followed = Follow.objects.filter(follower_id=lst.owner_id).values("followee")
    rows = ListMember.objects.filter(
        list=lst, account__in=followed, account__is_suspended=False
    ).select_related("account")
    page = paginate(rows, cursor)
    return Page(
        items=[row.account for row in page.items],
        next_max_id=page.next_max_id,
        prev_min_id=page.prev_min_id,
    )


def exclusive_member_ids(owner: Account) -> QuerySet:
    """Accounts in the owner's exclusive lists: their posts stay out of the home timeline."""
    return ListMember.objects.filter(list__owner=owner, list__exclusive=True).values("account_id")


def list_posts(lst: List, viewer: Account) -> QuerySet[Post]:
    """The list's posts before pagination: members' posts and reposts, minus replies to
    others the replies policy leaves out, visible to and not muted by the viewer."""
    members = member_ids(lst)
    qs = Post.objects.filter(author__in=members)
    own_thread = Q(in_reply_to_account__isnull=True) | Q(in_reply_to_account=F("author"))
    if lst.replies_policy == RepliesPolicy.NONE:
        qs = qs.filter(own_thread)
    elif lst.replies_policy == RepliesPolicy.LIST:
        qs = qs.filter(own_thread | Q(in_reply_to_account__in=members))
    else:
        followed = Follow.objects.filter(follower_id=lst.owner_id).values("followee")
        qs = qs.filter(
            own_thread | Q(in_reply_to_account__in=followed) | Q(in_reply_to_account=viewer)
        )
    return qs.visible_to(viewer).not_muted_by(viewer)


def list_timeline(lst: List, viewer: Account, cursor: Cursor) -> Page[Post]:
    page = paginate(list_posts(lst, viewer).for_display(), cursor)
    return Page(
        items=decorate_for_viewer(page.items, viewer),
        next_max_id=page.next_max_id,
        prev_min_id=page.prev_min_id,
    )
