"""Communities, their members and the caller's standing in them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Schema

from voliere.api.schemas.common import AccountOut, absolute, from_account
from voliere.api.schemas.text import Text
from voliere.communities.models import Community, Membership


class CommunityRef(Schema):
    id: str
    slug: str
    name: str
    url: str


class CommunityOut(CommunityRef):
    description: str
    rules: str
    kind: Literal["open", "moderated", "secret"]
    organisation: str | None = Field(None, description="Handle of the organisation running it.")
    created_at: datetime
    members_count: int
    posts_count: int
    last_post_at: datetime | None = None
    my_role: str | None = Field(
        None, description="The caller's role (owner, admin, moderator, member) or null."
    )
    requested: bool = Field(description="The caller asked to join and awaits approval.")
    invited: bool = Field(description="The caller has a pending invitation.")


class DirectoryOut(Schema):
    items: list[CommunityOut]
    next_page: int | None = Field(None, description="Pass as `page` for the next page.")


class MemberOut(Schema):
    id: str = Field(description="The membership's id: the cursor of the members list.")
    account: AccountOut
    role: str
    joined_at: datetime


class JoinIn(Schema):
    message: Text = Field("", description="For a moderated community: a word to its moderators.")


class JoinOut(Schema):
    outcome: Literal["joined", "requested"]
    community: CommunityOut


def from_community_ref(request: HttpRequest, community: Community) -> dict:
    return {
        "id": str(community.pk),
        "slug": community.slug,
        "name": community.name,
        "url": absolute(request, community.get_absolute_url()),
    }


def from_community(request: HttpRequest, community: Community) -> dict:
    """`community` carries `viewer_role`, `viewer_requested` and `viewer_invited`
    (`voliere.communities.queries.attach_viewer_roles`) and its organisation."""
    organisation = community.organisation if community.organisation_id else None
    return {
        **from_community_ref(request, community),
        "description": community.description,
        "rules": community.rules,
        "kind": community.kind,
        "organisation": organisation.handle if organisation is not None else None,
        "created_at": community.created_at,
        "members_count": community.members_count,
        "posts_count": community.posts_count,
        "last_post_at": community.last_post_at,
        "my_role": community.viewer_role,
        "requested": community.viewer_requested,
        "invited": community.viewer_invited,
    }


def from_membership(request: HttpRequest, membership: Membership) -> dict:
    return {
        "id": str(membership.pk),
        "account": from_account(request, membership.account),
        "role": membership.role,
        "joined_at": membership.created_at,
    }
