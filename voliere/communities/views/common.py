"""Helpers shared by the community views."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.communities.access import access_community
from voliere.communities.models import Community
from voliere.communities.queries import Standing, standing_of
from voliere.core.exceptions import Forbidden, NotFound
from voliere.core.views_helpers import viewer_of


@dataclass(frozen=True)
class Here:
    """The viewer, the community they may see, and their standing in it."""

    viewer: Account | None
    community: Community
    standing: Standing


def here(request: HttpRequest, slug: str) -> Here:
    viewer = viewer_of(request)
    community = access_community(viewer, slug)
    return Here(viewer, community, standing_of(viewer, community))


def moderating(request: HttpRequest, slug: str) -> Here:
    """`here`, for pages only moderators (and above) may open: 403 for others."""
    where = here(request, slug)
    if not where.standing.can_moderate:
        raise Forbidden(_("Only the community's moderators can open this page."))
    return where


def account_by_handle(handle: str) -> Account:
    account = Account.objects.by_handle(str(handle).strip().lstrip("@")).first()
    if account is None:
        raise NotFound(_("No such account."))
    return account
