"""Communities for tests, made through the actions like everything else."""

from __future__ import annotations

import itertools

from voliere.accounts.models import User
from voliere.communities.actions import create_community, join_community, set_role
from voliere.communities.models import Community, Kind, Role

_numbers = itertools.count(1)


def make_community(
    owner: User, kind: str = Kind.OPEN, *, name: str = "", **fields: str
) -> Community:
    name = name or f"Community {next(_numbers)}"
    return create_community(owner.account, name=name, kind=kind, **fields)


def add_member(community: Community, user: User, role: str = Role.MEMBER) -> None:
    """Make `user` a member (any kind of community), with `role`, as its owner would."""
    from voliere.communities.actions import accept_invitation, invite_to_community
    from voliere.communities.models import Membership

    owner = Membership.objects.filter(community=community, role=Role.OWNER).first().account
    if community.is_open:
        join_community(user.account, community)
    else:
        invite_to_community(owner, community, user.account)
        accept_invitation(user.account, community)
    if role != Role.MEMBER:
        set_role(owner, community, user.account, role)
