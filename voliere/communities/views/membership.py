"""POST endpoints that change who is in a community: join, ask, leave, accept or decline
an invitation; and the moderators' approve, reject, remove, ban, unban, roles and pins.

Each answers with a redirect to `next` (or the community page) and a message saying what
happened, so they work without JavaScript. Errors (banned, not allowed, last owner...)
come back as an error page with the message and its status; nothing is half-done.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from voliere.communities import actions
from voliere.communities.models import Community, Role
from voliere.communities.views.common import account_by_handle, here
from voliere.core.views_helpers import domain_errors, safe_next, signed_in
from voliere.posts.access import access_post


def _done(request: HttpRequest, community: Community, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(safe_next(request, community.get_absolute_url()))


def _post_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return signed_in(require_POST(domain_errors(view)))


@_post_endpoint
def join(request: HttpRequest, slug: str) -> HttpResponse:
    where = here(request, slug)
    outcome = actions.join_community(
        where.viewer, where.community, message=request.POST.get("message", "")
    )
    if outcome == actions.JoinOutcome.REQUESTED:
        text = _("Your request to join %(name)s was sent to its moderators.")
    else:
        text = _("You are a member of %(name)s.")
    return _done(request, where.community, text % {"name": where.community.name})


@_post_endpoint
def cancel_request(request: HttpRequest, slug: str) -> HttpResponse:
    where = here(request, slug)
    actions.cancel_join_request(where.viewer, where.community)
    return _done(request, where.community, _("Your request to join was withdrawn."))


@_post_endpoint
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    where = here(request, slug)
    actions.leave_community(where.viewer, where.community)
    messages.success(request, _("You left %(name)s.") % {"name": where.community.name})
    # A secret community is gone from view once left: back to the directory.
    fallback = "communities" if where.community.is_secret else where.community.get_absolute_url()
    return redirect(fallback)


@_post_endpoint
def accept_invitation(request: HttpRequest, slug: str) -> HttpResponse:
    where = here(request, slug)
    actions.accept_invitation(where.viewer, where.community)
    text = _("You are a member of %(name)s.") % {"name": where.community.name}
    return _done(request, where.community, text)


@_post_endpoint
def decline_invitation(request: HttpRequest, slug: str) -> HttpResponse:
    where = here(request, slug)
    actions.decline_invitation(where.viewer, where.community)
    messages.success(request, _("Invitation declined."))
    return redirect(safe_next(request, reverse("communities")))


@_post_endpoint
def approve(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    where = here(request, slug)
    account = account_by_handle(handle)
    actions.approve_join_request(where.viewer, where.community, account)
    text = _("@%(handle)s is now a member.") % {"handle": account.handle}
    return _done(request, where.community, text)


@_post_endpoint
def reject(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    where = here(request, slug)
    account = account_by_handle(handle)
    actions.reject_join_request(where.viewer, where.community, account)
    text = _("The request of @%(handle)s was rejected.") % {"handle": account.handle}
    return _done(request, where.community, text)


@_post_endpoint
def remove(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    where = here(request, slug)
    account = account_by_handle(handle)
    actions.remove_member(where.viewer, where.community, account)
    text = _("@%(handle)s was removed from the community.") % {"handle": account.handle}
    return _done(request, where.community, text)


@_post_endpoint
def ban(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    where = here(request, slug)
    account = account_by_handle(handle)
    actions.ban_member(
        where.viewer, where.community, account, reason=request.POST.get("reason", "")
    )
    return _done(request, where.community, _("@%(handle)s is banned.") % {"handle": handle})


@_post_endpoint
def unban(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    where = here(request, slug)
    account = account_by_handle(handle)
    actions.unban_member(where.viewer, where.community, account)
    text = _("@%(handle)s is no longer banned.") % {"handle": account.handle}
    return _done(request, where.community, text)


@_post_endpoint
def set_role(request: HttpRequest, slug: str, handle: str) -> HttpResponse:
    where = here(request, slug)
    account = account_by_handle(handle)
    role = actions.set_role(where.viewer, where.community, account, request.POST.get("role", ""))
    text = _("@%(handle)s is now %(role)s.") % {
        "handle": account.handle,
        "role": dict(Role.choices)[role].lower(),
    }
    return _done(request, where.community, text)


@_post_endpoint
def pin(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    where = here(request, slug)
    actions.pin_post(where.viewer, where.community, access_post(where.viewer, post_id))
    return _done(request, where.community, _("Post pinned."))


@_post_endpoint
def unpin(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    where = here(request, slug)
    actions.unpin_post(where.viewer, where.community, access_post(where.viewer, post_id))
    return _done(request, where.community, _("Post unpinned."))
