"""Acting as an organisation: the community manager speaks with the official voice.

A user who holds an `OrganisationRole` for an organisation or affiliated account may
switch to it for their session; every page, action and list then uses that account as
the viewer (posting, reposting, following, notifications, profile settings). The role
is checked again on every request, so removing a manager takes effect at once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from voliere.accounts.models import Account, OrganisationRole, User
from voliere.core.exceptions import NotFound

SESSION_KEY = "voliere_acting_as"


def managed_accounts(user: User) -> QuerySet[Account]:
    """Organisation and affiliated accounts `user` may act as."""
    return Account.objects.active().filter(managers__user=user).order_by("handle_lower")


def acting_account(request: HttpRequest) -> Account | None:
    """The account the signed-in user acts as: a managed organisation chosen for this
    session, else their own person account; None when signed out."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    chosen = request.session.get(SESSION_KEY)
    if chosen and chosen != user.account_id:
        organisation = managed_accounts(user).filter(pk=chosen).first()
        if organisation is not None:
            return organisation
        del request.session[SESSION_KEY]
    return user.account


def act_as(request: HttpRequest, account_id: int) -> Account:
    """Switch the session to `account_id` (own account or a managed one), else NotFound."""
    user = request.user
    if account_id == user.account_id:
        request.session.pop(SESSION_KEY, None)
        return user.account
    if not OrganisationRole.objects.filter(
        user=user, organisation_id=account_id, organisation__is_suspended=False
    ).exists():
        raise NotFound(_("No such account."))
    request.session[SESSION_KEY] = account_id
    return Account.objects.get(pk=account_id)


class ActingAccountMiddleware:
    """Sets `request.viewer` (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.viewer = acting_account(request)
        return self.get_response(request)
