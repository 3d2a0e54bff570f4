"""Following, blocking, muting, endorsing, and the followers/following lists."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voliere.accounts import actions
from voliere.accounts.access import access_account
from voliere.accounts.models import Account, AccountSkill, Follow
from voliere.accounts.queries import profile_skills, relationship_between
from voliere.accounts.views.common import redirect_next
from voliere.core.exceptions import NotFound, VoliereError
from voliere.core.pagination import Cursor, paginate
from voliere.core.views_helpers import error_page, is_htmx, safe_next, viewer_of

RelationshipAction = Callable[[Account, Account], bool]

RELATIONSHIP_ACTIONS: dict[str, RelationshipAction] = {
    "follow": actions.follow_account,
    "unfollow": actions.unfollow_account,
    "block": actions.block_account,
    "unblock": actions.unblock_account,
    "mute": actions.mute_account,
    "unmute": actions.unmute_account,
}


UNDOING = frozenset({"unfollow", "unblock", "unmute", "unendorse"})


def _target(request: HttpRequest, handle: str, action_name: str) -> Account:
    """The account acted on. Undoing one's own follow, block, mute or endorsement must work
    even on accounts that now block the viewer or are suspended; anything else goes
    through `access_account`."""
    if action_name in UNDOING:
        account = Account.objects.by_handle(handle.lstrip("@")).first()
        if account is None:
            raise NotFound(_("No such account."))
        return account
    return access_account(viewer_of(request), handle)


def relationship_view(name: str) -> Callable[[HttpRequest, str], HttpResponse]:
    """A POST endpoint applying one relationship action to the account `handle`."""
    action = RELATIONSHIP_ACTIONS[name]

    @login_required
    @require_POST
    def view(request: HttpRequest, handle: str) -> HttpResponse:
        viewer = viewer_of(request)
        try:
            account = _target(request, handle, name)
            action(viewer, account)
        except VoliereError as error:
            return error_page(request, error)
        if is_htmx(request):
            account.refresh_from_db(fields=["followers_count", "following_count"])
            return render(
                request,
                "accounts/_relationship_buttons.html",
                {
                    "account": account,
                    "viewer": viewer,
                    "relationship": relationship_between(viewer, account),
                    "return_to": safe_next(request, account.get_absolute_url()),
                    "oob_counts": True,
                },
            )
        return redirect_next(request, account.get_absolute_url())

    view.__name__ = name
    return view


def _endorsement_view(endorse: bool) -> Callable[[HttpRequest, str, int], HttpResponse]:
    @login_required
    @require_POST
    def view(request: HttpRequest, handle: str, skill_id: int) -> HttpResponse:
        viewer = viewer_of(request)
        try:
            account = _target(request, handle, "endorse" if endorse else "unendorse")
            row = AccountSkill.objects.filter(account=account, skill_id=skill_id).first()
            if row is None:
                raise NotFound(_("This person does not list this skill."))
            if endorse:
                actions.endorse_skill(viewer, row)
            else:
                actions.withdraw_endorsement(viewer, row)
        except VoliereError as error:
            return error_page(request, error)
        if is_htmx(request):
            return render(
                request,
                "accounts/_skills.html",
                {"account": account, "viewer": viewer, "skills": profile_skills(viewer, account)},
            )
        return redirect_next(request, account.get_absolute_url())

    view.__name__ = "endorse" if endorse else "unendorse"
    return view


endorse = _endorsement_view(True)
unendorse = _endorsement_view(False)


def _follow_list(request: HttpRequest, handle: str, *, followers: bool) -> HttpResponse:
    viewer = viewer_of(request)
    try:
        account = access_account(viewer, handle)
        cursor = Cursor.from_params(request.GET)
    except VoliereError as error:
        return error_page(request, error)
    if followers:
        rows = Follow.objects.filter(followee=account, follower__is_suspended=False)
        rows = rows.select_related("follower")
    else:
        rows = Follow.objects.filter(follower=account, followee__is_suspended=False)
        rows = rows.select_related("followee")
    page = paginate(rows, cursor)
    accounts = [row.follower if followers else row.followee for row in page.items]
    return render(
        request,
        "accounts/follow_list.html",
        {
            "account": account,
            "accounts": accounts,
            "page": page,
            "followers_tab": followers,
            "paged": cursor.max_id is not None or cursor.min_id is not None,
            "nav": "profile" if viewer and viewer.pk == account.pk else None,
        },
    )


def followers(request: HttpRequest, handle: str) -> HttpResponse:
    return _follow_list(request, handle, followers=True)


def following(request: HttpRequest, handle: str) -> HttpResponse:
    return _follow_list(request, handle, followers=False)
