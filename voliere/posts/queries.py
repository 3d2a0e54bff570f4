"""Who may see which post: the one place visibility is decided.

Every surface that shows posts (pages, timelines, thread, hashtag, notifications, JSON)
goes through `PostQuerySet.visible_to(viewer)`. Rules:

- public: anyone, signed in or not;
- internal: any signed-in member of this instance;
- followers: the author, their followers, and accounts mentioned in the post;
- direct: the author and the accounts mentioned in the post;
- never: deleted posts, posts of suspended authors, posts whose author blocks the viewer
  or is blocked by the viewer (nor reposts of such posts);
- a post in a secret community (`voliere.communities`): only that community's members, on
  top of the rules above (never anonymous visitors). Posts in open and moderated
  communities follow the rules above. Secret posts cannot be reposted or quoted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from voliere.accounts.models import Block, Follow, Mute

if TYPE_CHECKING:
    from voliere.accounts.models import Account

PUBLIC = "public"
INTERNAL = "internal"
FOLLOWERS = "followers"
DIRECT = "direct"


def _blocks_between(viewer: Account, author_ref: str) -> Exists:
    return Exists(
        Block.objects.filter(
            Q(blocker=viewer, blocked=OuterRef(author_ref))
            | Q(blocker=OuterRef(author_ref), blocked=viewer)
        )
    )


_LIVE = Q(deleted_at__isnull=True, author__is_suspended=False)
# Posts outside communities, or in open and moderated ones ("secret" is the other kind).
_NOT_SECRET = Q(community__isnull=True) | Q(community__kind__in=("open", "moderated"))
# A repost is only as visible as its original: not once it is deleted or its author suspended.
_NOT_A_REPOST_OF_HIDDEN = Q(reblog_of__isnull=True) | Q(
    reblog_of__deleted_at__isnull=True, reblog_of__author__is_suspended=False
)


class PostQuerySet(models.QuerySet):
    def live(self) -> PostQuerySet:
        return self.filter(_LIVE)

    def visible_to(self, viewer: Account | None) -> PostQuerySet:
        """The rules in the module docstring, as one `filter()` (each `filter()` or
        `exclude()` clones the query, and this runs on every page)."""
        from voliere.communities.models import Membership
        from voliere.posts.models import Mention

        if viewer is None:
            return self.filter(_LIVE, _NOT_A_REPOST_OF_HIDDEN, _NOT_SECRET, visibility=PUBLIC)
        # Evaluated only for posts of secret communities (the OR short-circuits on the rest).
        secret_member = Exists(
            Membership.objects.filter(community=OuterRef("community"), account=viewer)
        )
        follows_author = Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("author")))
        mentioned = Exists(Mention.objects.filter(post=OuterRef("pk"), account=viewer))
        return self.filter(
            _LIVE,
            _NOT_A_REPOST_OF_HIDDEN,
            Q(visibility__in=(PUBLIC, INTERNAL))
            | Q(author=viewer)
            | (Q(visibility=FOLLOWERS) & follows_author)
            # Followers-only and direct posts both reach mentioned accounts: one subquery.
            | (Q(visibility__in=(FOLLOWERS, DIRECT)) & mentioned),
            _NOT_SECRET | Q(secret_member),
            ~Q(_blocks_between(viewer, "author")),
            ~(Q(reblog_of__isnull=False) & _blocks_between(viewer, "reblog_of__author")),
        )

    def not_muted_by(self, viewer: Account | None) -> PostQuerySet:
        if viewer is None:
            return self
        muted = Mute.objects.filter(muter=viewer).values("muted")
        return self.exclude(author__in=muted).exclude(reblog_of__author__in=muted)

    def for_display(self) -> PostQuerySet:
        """Everything a post card shows, in the same query (including the id of the poll a
        post or a reposted original carries, through the polls app's one-to-one link)."""
        return self.annotate(
            card_poll_id=F("poll__id"), reblog_card_poll_id=F("reblog_of__poll__id")
        ).select_related(
            "author",
            "community",
            "reblog_of__community",
            "in_reply_to_account",
            "reblog_of__author",
            "reblog_of__in_reply_to_account",
            "quote_of__author",
            "reblog_of__quote_of__author",
        )
