"""A community's pages: its timeline (with pinned posts and the post form), members,
settings, and the moderators' pages (join requests, invitations, bans)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from voliere.accounts.models import Account
from voliere.communities import actions, queries
from voliere.communities.forms import EditCommunityForm, HandleForm, attach_error
from voliere.communities.models import Role
from voliere.communities.views.common import Here, account_by_handle, here, moderating
from voliere.core.exceptions import Forbidden, InvalidInput, VoliereError
from voliere.core.views_helpers import domain_errors, is_htmx, read_cursor, safe_next
from voliere.posts import actions as post_actions
from voliere.posts.forms import PostForm


def _page_context(request: HttpRequest, where: Here, **extra: Any) -> dict[str, Any]:
    """What every community page shows around its own content: the header and side."""
    return {
        "community": where.community,
        "standing": where.standing,
        "staff": queries.staff(where.community),
        "requests_count": (
            len(queries.join_requests(where.community)) if where.standing.can_moderate else 0
        ),
        **extra,
    }


def _timeline_response(
    request: HttpRequest, where: Here, *, form: PostForm | None = None, status: int = 200
) -> HttpResponse:
    cursor = read_cursor(request)
    page = queries.community_timeline(where.viewer, where.community, cursor)
    is_first_page = cursor.max_id is None and cursor.min_id is None
    context = _page_context(
        request,
        where,
        page=page,
        is_first_page=is_first_page,
        pinned=queries.pinned_posts(where.viewer, where.community) if is_first_page else [],
        pinned_ids=queries.pinned_ids(where.community) if where.standing.can_moderate else set(),
        form=form or (PostForm() if where.standing.can_post else None),
    )
    if is_htmx(request) and request.GET.get("max_id"):
        return render(request, "communities/_entries.html", context)
    return render(request, "communities/community.html", context, status=status)


@domain_errors
def community(request: HttpRequest, slug: str) -> HttpResponse:
    return _timeline_response(request, here(request, slug))


@login_required
@require_POST
@domain_errors
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish into the community (with attachments, like the main post form); bad input
    answers 400 on the community page with the message next to the field and the text
    kept."""
    where = here(request, slug)
    form = PostForm(request.POST, request.FILES)
    if not form.is_valid():
        return _timeline_response(request, where, form=form, status=400)
    data = form.cleaned_data
    try:
        post_actions.publish_post(
            where.viewer,
            data["text"],
            visibility=data["visibility"],
            spoiler_text=data["spoiler_text"],
            language=data["language"],
            community=where.community,
            media=form.prepared_media(request),
        )
    except InvalidInput as error:
        attach_error(form, error)
        return _timeline_response(request, where, form=form, status=400)
    return redirect(where.community)


@domain_errors
def members(request: HttpRequest, slug: str) -> HttpResponse:
    where = here(request, slug)
    page = queries.members_page(where.community, read_cursor(request))
    return render(
        request,
        "communities/members.html",
        _page_context(request, where, page=page, roles=Role.choices, tab="members"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Admins and owners edit the name, about text, rules and who can join."""
    where = here(request, slug)
    if not where.standing.can_administer:
        raise Forbidden(_("Only the community's admins can change its settings."))
    c = where.community
    if request.method == "GET":
        form = EditCommunityForm(
            initial={"name": c.name, "description": c.description, "rules": c.rules, "kind": c.kind}
        )
        return render(
            request,
            "communities/settings.html",
            _page_context(request, where, form=form, tab="settings"),
        )
    form = EditCommunityForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        actions.update_community(
            where.viewer,
            c,
            name=data.get("name", ""),
            description=data.get("description", ""),
            rules=data.get("rules", ""),
            kind=data.get("kind") or c.kind,
        )
    except InvalidInput as error:
        attach_error(form, error)
        context = _page_context(request, where, form=form, tab="settings")
        return render(request, "communities/settings.html", context, status=400)
    messages.success(request, _("The community's settings are saved."))
    return redirect("community_settings", slug=c.slug)


@login_required
@domain_errors
def requests(request: HttpRequest, slug: str) -> HttpResponse:
    where = moderating(request, slug)
    return render(
        request,
        "communities/requests.html",
        _page_context(
            request, where, join_requests=queries.join_requests(where.community), tab="requests"
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite someone by handle: moderators, and in an open community any member."""
    where = here(request, slug)
    may_invite = where.standing.can_moderate or (
        where.community.is_open and where.standing.can_post
    )
    if not may_invite:
        raise Forbidden(_("Only the community's moderators can invite people."))
    form = HandleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            invitee = _invitee(form.cleaned_data.get("handle", ""))
            actions.invite_to_community(where.viewer, where.community, invitee)
        except VoliereError as error:
            if error.status == 403:
                raise
            form.add_error("handle", error.message)
            status = 400
        else:
            messages.success(request, _("@%(handle)s is invited.") % {"handle": invitee.handle})
            return redirect("community_invitations", slug=where.community.slug)
    context = _page_context(
        request,
        where,
        form=form,
        pending=queries.invitations(where.community) if where.standing.can_moderate else [],
        tab="invitations",
    )
    return render(request, "communities/invitations.html", context, status=status)


def _invitee(handle: str) -> Account:
    if not handle.strip():
        raise InvalidInput(_("Enter the handle of the person to invite."), field="handle")
    return account_by_handle(handle)


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def bans(request: HttpRequest, slug: str) -> HttpResponse:
    """The ban list; POST bans someone by handle (a member or not)."""
    where = moderating(request, slug)
    form = HandleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        form.is_valid()
        handle = form.cleaned_data.get("handle", "")
        try:
            if not handle.strip():
                raise InvalidInput(_("Enter the handle of the person to ban."), field="handle")
            target = account_by_handle(handle)
            actions.ban_member(
                where.viewer, where.community, target, reason=form.cleaned_data.get("reason", "")
            )
        except VoliereError as error:
            if error.status == 403:
                raise
            form.add_error("handle", error.message)
            status = 400
        else:
            messages.success(request, _("@%(handle)s is banned.") % {"handle": target.handle})
            return redirect(reverse("community_bans", args=[where.community.slug]))
    context = _page_context(
        request,
        where,
        form=form,
        bans=queries.bans(where.community),
        tab="bans",
        next=safe_next(request, ""),
    )
    return render(request, "communities/bans.html", context, status=status)
