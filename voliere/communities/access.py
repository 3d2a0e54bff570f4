"""Who may see a community and what they may do in it: the one place these rules live.

Public API (other apps: knowledge, search, API, posts):

- `visible_communities(viewer) -> QuerySet[Community]`: open and moderated communities for
  everyone (anonymous visitors included); a secret community only for its members and for
  the people it has a pending invitation for (they must read what they are invited to).
  Use it inside SQL (`community__in=visible_communities(viewer)`) on every surface that
  lists or counts communities: directory, search, suggestions, profile pages, APIs.
- `access_community(viewer, slug) -> Community`: the community or NotFound, for missing and
  secret-to-this-viewer alike, so a secret community's name never leaks (404, not 403).
- `role_of(viewer, community) -> str | None`: the viewer's `Role`, None when not a member.
- `is_member(viewer, community) -> bool`.
- `can_moderate(viewer, community) -> bool`: moderator, admin or owner (approve requests,
  invite, pin, remove and ban members of lower rank).
- `can_administer(viewer, community) -> bool`: admin or owner (edit about and rules).
- `can_post(viewer, community) -> bool`: a member, not banned, not suspended.
- `is_banned(viewer, community) -> bool`.

Posts in a community follow the post visibility rules of `voliere.posts.queries`, which
adds one: a post in a secret community is visible to that community's members only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from voliere.communities.models import Ban, Community, Invitation, Kind, Membership, Role
from voliere.core.exceptions import NotFound

if TYPE_CHECKING:
    from voliere.accounts.models import Account

PUBLIC_KINDS = (Kind.OPEN, Kind.MODERATED)


def visible_communities(viewer: Account | None) -> QuerySet[Community]:
    """Communities `viewer` may know exist (see the module docstring). Unordered."""
    if viewer is None:
        return Community.objects.filter(kind__in=PUBLIC_KINDS)
    member = Exists(Membership.objects.filter(community=OuterRef("pk"), account=viewer))
    invited = Exists(Invitation.objects.filter(community=OuterRef("pk"), account=viewer))
    return Community.objects.filter(Q(kind__in=PUBLIC_KINDS) | member | invited)


def access_community(viewer: Account | None, slug: str) -> Community:
    """The community at `slug` if `viewer` may see it; NotFound otherwise."""
    community = visible_communities(viewer).filter(slug=str(slug).lower()).first()
    if community is None:
        raise NotFound(_("No such community."))
    return community


def access_community_by_id(viewer: Account | None, community_id: int | str) -> Community:
    try:
        pk = int(community_id)
    except (TypeError, ValueError):
        raise NotFound(_("No such community.")) from None
    community = visible_communities(viewer).filter(pk=pk).first()
    if community is None:
        raise NotFound(_("No such community."))
    return community


def role_of(viewer: Account | None, community: Community) -> str | None:
    if viewer is None:
        return None
    return (
        Membership.objects.filter(community=community, account=viewer)
        .values_list("role", flat=True)
        .first()
    )


def is_member(viewer: Account | None, community: Community) -> bool:
    return role_of(viewer, community) is not None


def can_moderate(viewer: Account | None, community: Community) -> bool:
    return _active(viewer) and Role.rank(role_of(viewer, community)) >= Role.rank(Role.MODERATOR)


def can_administer(viewer: Account | None, community: Community) -> bool:
    return _active(viewer) and Role.rank(role_of(viewer, community)) >= Role.rank(Role.ADMIN)


def is_banned(viewer: Account | None, community: Community) -> bool:
    return viewer is not None and Ban.objects.filter(community=community, account=viewer).exists()


def can_post(viewer: Account | None, community: Community) -> bool:
    """Members may post; a ban removes the membership, and is checked again here in case
    both happen at once."""
    return _active(viewer) and is_member(viewer, community) and not is_banned(viewer, community)


def _active(viewer: Account | None) -> bool:
    return viewer is not None and not viewer.is_suspended
