"""Reads for community pages: the timeline, pins, members, queues, the directory and
suggestions. Each read composes `visible_communities` (which communities exist for the
viewer) and `Post.visible_to` (which posts), and runs a constant number of queries
whatever the page size (asserted in tests)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from voliere.accounts.models import Account, AccountSkill, Follow
from voliere.communities.access import visible_communities
from voliere.communities.models import (
    Ban,
    Community,
    Invitation,
    JoinRequest,
    Membership,
    Pin,
    Role,
)
from voliere.core.exceptions import InvalidInput
from voliere.core.pagination import Cursor, Page, paginate
from voliere.posts.models import Post
from voliere.posts.presentation import decorate_for_viewer

STAFF_ROLES = (Role.OWNER, Role.ADMIN, Role.MODERATOR)
QUEUE_LIMIT = 200


# The viewer's standing in one community -----------------------------------------------


@dataclass(frozen=True)
class Standing:
    """What the viewer is in a community, read in one query for a whole page."""

    role: str | None = None
    banned: bool = False
    requested: bool = False
    invited: bool = False
    suspended: bool = False

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def rank(self) -> int:
        return 0 if self.suspended else Role.rank(self.role)

    @property
    def can_moderate(self) -> bool:
        return self.rank >= Role.rank(Role.MODERATOR)

    @property
    def can_administer(self) -> bool:
        return self.rank >= Role.rank(Role.ADMIN)

    @property
    def can_post(self) -> bool:
        return self.is_member and not self.banned and not self.suspended

    def outranks(self, role: str) -> bool:
        """May act on someone holding `role` (owners act on owners)."""
        return self.can_moderate and (self.rank > Role.rank(role) or self.role == Role.OWNER)


def standing_of(viewer: Account | None, community: Community) -> Standing:
    if viewer is None:
        return Standing()
    mine = {"community": community, "account": viewer}
    row = (
        Community.objects.filter(pk=community.pk)
        .annotate(
            my_role=Subquery(Membership.objects.filter(**mine).values("role")[:1]),
            my_ban=Exists(Ban.objects.filter(**mine)),
            my_request=Exists(JoinRequest.objects.filter(**mine)),
            my_invitation=Exists(Invitation.objects.filter(**mine)),
        )
        .values("my_role", "my_ban", "my_request", "my_invitation")
        .first()
    )
    if row is None:
        return Standing()
    return Standing(
        role=row["my_role"],
        banned=row["my_ban"],
        requested=row["my_request"],
        invited=row["my_invitation"],
        suspended=viewer.is_suspended,
    )


# Posts ----------------------------------------------------------------------------------


def community_timeline(viewer: Account | None, community: Community, cursor: Cursor) -> Page[Post]:
    """Top-level posts of the community the viewer may see, newest first (replies live in
    their threads). Walks the (community, -id) index."""
    qs = Post.objects.filter(community=community, in_reply_to__isnull=True)
    page = paginate(qs.visible_to(viewer).not_muted_by(viewer).for_display(), cursor)
    return Page(
        items=decorate_for_viewer(page.items, viewer),
        next_max_id=page.next_max_id,
        prev_min_id=page.prev_min_id,
    )


def pinned_posts(viewer: Account | None, community: Community) -> list[Post]:
    """Pinned posts the viewer may see, most recently pinned first."""
    pinned = list(
        Pin.objects.filter(community=community).order_by("-id").values_list("post_id", flat=True)
    )
    if not pinned:
        return []
    posts = {
        p.id: p
        for p in Post.objects.filter(pk__in=pinned, community=community)
        .visible_to(viewer)
        .not_muted_by(viewer)
        .for_display()
    }
    return decorate_for_viewer([posts[pk] for pk in pinned if pk in posts], viewer)


def pinned_ids(community: Community) -> set[int]:
    return set(Pin.objects.filter(community=community).values_list("post_id", flat=True))


# People ---------------------------------------------------------------------------------


def members_page(community: Community, cursor: Cursor) -> Page[Membership]:
    """Members, latest to join first, with their accounts (one query)."""
    qs = Membership.objects.filter(community=community, account__is_suspended=False)
    return paginate(qs.select_related("account"), cursor)


def staff(community: Community) -> list[Membership]:
    """Owners, admins and moderators, highest role first (at most 50)."""
    rows = list(
        Membership.objects.filter(
            community=community, role__in=STAFF_ROLES, account__is_suspended=False
        )
        .select_related("account")
        .order_by("id")[:50]
    )
    rows.sort(key=lambda m: -Role.rank(m.role))
    return rows


def join_requests(community: Community) -> list[JoinRequest]:
    """The pending queue, oldest first."""
    return list(
        JoinRequest.objects.filter(community=community)
        .select_related("account")
        .order_by("id")[:QUEUE_LIMIT]
    )


def invitations(community: Community) -> list[Invitation]:
    return list(
        Invitation.objects.filter(community=community)
        .select_related("account", "invited_by")
        .order_by("-id")[:QUEUE_LIMIT]
    )


def bans(community: Community) -> list[Ban]:
    return list(
        Ban.objects.filter(community=community)
        .select_related("account", "banned_by")
        .order_by("-id")[:QUEUE_LIMIT]
    )


def memberships_of(viewer: Account | None, account: Account) -> list[Membership]:
    """The communities `account` belongs to that `viewer` may see (a secret one only to
    its members), by name."""
    return list(
        Membership.objects.filter(account=account, community__in=visible_communities(viewer))
        .select_related("community")
        .order_by("community__name", "community_id")[:QUEUE_LIMIT]
    )


def pending_invitations(viewer: Account) -> list[Invitation]:
    return list(
        Invitation.objects.filter(account=viewer)
        .select_related("community", "invited_by")
        .order_by("-id")[:50]
    )


# Directory ------------------------------------------------------------------------------

SORTS = ("activity", "members", "name")
DIRECTORY_PAGE_SIZE = 20
MAX_PAGE = 500
QUERY_MAX = 100


@dataclass
class DirectoryPage:
    communities: list[Community]
    number: int
    has_next: bool
    query: str
    sort: str


def read_directory_params(params) -> tuple[str, str, int]:
    """`q`, `sort` and `page` from a query string; InvalidInput naming the bad one."""
    query = " ".join(str(params.get("q", "")).replace("\x00", "").split())
    if len(query) > QUERY_MAX:
        raise InvalidInput(
            _("A search has at most %(limit)s characters.") % {"limit": QUERY_MAX}, field="q"
        )
    sort = params.get("sort") or "activity"
    if sort not in SORTS:
        raise InvalidInput(
            _("Sort by one of: %(choices)s.") % {"choices": ", ".join(SORTS)}, field="sort"
        )
    raw_page = str(params.get("page") or "1")
    if not (raw_page.isascii() and raw_page.isdigit()) or not 1 <= int(raw_page) <= MAX_PAGE:
        raise InvalidInput(
            _("The page must be a whole number from 1 to %(limit)s.") % {"limit": MAX_PAGE},
            field="page",
        )
    return query, sort, int(raw_page)


def _ordering(sort: str) -> list:
    if sort == "members":
        return ["-members_count", "-id"]
    if sort == "name":
        return ["name", "id"]
    return [F("last_post_at").desc(nulls_last=True), "-id"]


def search_communities(viewer: Account | None, query: str) -> QuerySet[Community]:
    """Visible communities whose name or description contains every word of `query`."""
    qs = visible_communities(viewer)
    for word in query.split():
        qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return qs


def directory(
    viewer: Account | None,
    *,
    query: str = "",
    sort: str = "activity",
    number: int = 1,
    size: int = DIRECTORY_PAGE_SIZE,
) -> DirectoryPage:
    """One page of the directory, each community with the viewer's standing attached."""
    qs = search_communities(viewer, query).order_by(*_ordering(sort))
    offset = (number - 1) * size
    rows = list(qs[offset : offset + size + 1])
    page = DirectoryPage(
        communities=rows[:size], number=number, has_next=len(rows) > size, query=query, sort=sort
    )
    attach_viewer_roles(viewer, page.communities)
    return page


def attach_viewer_roles(viewer: Account | None, communities: list[Community]) -> None:
    """Set `viewer_role`, `viewer_requested`, `viewer_invited` on each: three queries."""
    ids = [c.pk for c in communities]
    roles: dict[int, str] = {}
    requested: set[int] = set()
    invited: set[int] = set()
    if viewer is not None and ids:
        roles = dict(
            Membership.objects.filter(account=viewer, community_id__in=ids).values_list(
                "community_id", "role"
            )
        )
        requested = set(
            JoinRequest.objects.filter(account=viewer, community_id__in=ids).values_list(
                "community_id", flat=True
            )
        )
        invited = set(
            Invitation.objects.filter(account=viewer, community_id__in=ids).values_list(
                "community_id", flat=True
            )
        )
    for c in communities:
        c.viewer_role = roles.get(c.pk)
        c.viewer_requested = c.pk in requested
        c.viewer_invited = c.pk in invited


# Suggestions ----------------------------------------------------------------------------

SUGGESTIONS_LIMIT = 5
FOLLOWS_SAMPLED = 200
SKILLS_SAMPLED = 10


@dataclass
class Suggestion:
    community: Community
    skills: list[str] = field(default_factory=list)
    followees: int = 0

    @property
    def score(self) -> int:
        return 2 * len(self.skills) + self.followees


def suggested_communities(
    viewer: Account | None, limit: int = SUGGESTIONS_LIMIT
) -> list[Suggestion]:
    """Communities the viewer might join, with why: their declared skills found in a
    community's name or description, and how many people they follow are members; topped
    up with the most joined ones. Only communities the viewer may see and is not in (nor
    banned from). Five queries whatever the numbers of follows, skills and communities."""
    if viewer is None:
        return []
    candidates = (
        visible_communities(viewer)
        .exclude(Exists(Membership.objects.filter(community=OuterRef("pk"), account=viewer)))
        .exclude(Exists(Ban.objects.filter(community=OuterRef("pk"), account=viewer)))
    )
    followees = Follow.objects.filter(follower=viewer).order_by("-id").values("followee")
    by_follows = dict(
        Membership.objects.filter(
            account__in=followees[:FOLLOWS_SAMPLED], community__in=candidates.values("pk")
        )
        .values("community")
        .annotate(n=Count("*"))
        .order_by("-n", "community")
        .values_list("community", "n")[:50]
    )
    skills = list(
        AccountSkill.objects.filter(account=viewer)
        .order_by("-endorsements_count", "id")
        .values_list("skill__name", flat=True)[:SKILLS_SAMPLED]
    )
    matching: dict[int, Community] = {}
    if skills:
        any_skill = Q()
        for name in skills:
            any_skill |= Q(name__icontains=name) | Q(description__icontains=name)
        matching = {c.pk: c for c in candidates.filter(any_skill).order_by("-members_count")[:50]}
    popular = list(candidates.order_by("-members_count", "id")[: limit * 2])
    loaded = {c.pk: c for c in popular} | matching
    missing = [pk for pk in by_follows if pk not in loaded]
    if missing:
        loaded |= {c.pk: c for c in Community.objects.filter(pk__in=missing)}
    suggestions = []
    for pk, community in loaded.items():
        text = f"{community.name} {community.description}".casefold()
        matched = [s for s in skills if s.casefold() in text]
        suggestions.append(Suggestion(community, matched, by_follows.get(pk, 0)))
    suggestions.sort(key=lambda s: (-s.score, -s.community.members_count, s.community.pk))
    return suggestions[:limit]
