"""Reads about accounts that need care: relationships, skills, the organisation family.

The profile page (timelines app) calls `profile_header_context(viewer, account)` and
passes its keys to the template: `relationship`, `skills` and `family`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef

from voliere.accounts.models import (
    Account,
    AccountKind,
    AccountSkill,
    Block,
    Endorsement,
    Follow,
    Mute,
)

FAMILY_SHOWN = 12


def relationship_between(viewer: Account | None, account: Account) -> dict[str, bool]:
    """How `viewer` relates to `account`, in one query (all False for anonymous viewers
    and oneself)."""
    if viewer is None or viewer.pk == account.pk:
        return {"following": False, "followed_by": False, "blocking": False, "muting": False}
    flags = Account.objects.filter(pk=account.pk).values(
        following=Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk"))),
        followed_by=Exists(Follow.objects.filter(follower=OuterRef("pk"), followee=viewer)),
        blocking=Exists(Block.objects.filter(blocker=viewer, blocked=OuterRef("pk"))),
        muting=Exists(Mute.objects.filter(muter=viewer, muted=OuterRef("pk"))),
    )
    return dict(flags.get())


def profile_skills(viewer: Account | None, account: Account) -> list[AccountSkill]:
    """The account's skills, most endorsed first, each with `endorsed_by_viewer`."""
    rows = AccountSkill.objects.filter(account=account).select_related("skill")
    if viewer is not None:
        rows = rows.annotate(
            endorsed_by_viewer=Exists(
                Endorsement.objects.filter(account_skill=OuterRef("pk"), endorser=viewer)
            )
        )
    rows = list(rows.order_by("-endorsements_count", "skill__name"))
    if viewer is None:
        for row in rows:
            row.endorsed_by_viewer = False
    return rows


def organisation_family(account: Account) -> dict[str, Any] | None:
    """For an organisation: its affiliated accounts and its number of verified employees."""
    if account.kind != AccountKind.ORGANISATION:
        return None
    members = Account.objects.active().filter(organisation=account)
    return {
        "affiliates": list(
            members.filter(kind=AccountKind.AFFILIATED).order_by("display_name")[:FAMILY_SHOWN]
        ),
        "employees_count": members.filter(
            kind=AccountKind.PERSON, employment_verified=True
        ).count(),
    }


def profile_header_context(viewer: Account | None, account: Account) -> dict[str, Any]:
    return {
        "account": account,
        "relationship": relationship_between(viewer, account),
        "skills": profile_skills(viewer, account),
        "family": organisation_family(account),
    }
