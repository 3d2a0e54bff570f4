"""The directory of communities, suggestions, creating one, and the lists that concern
the viewer (their invitations) or a person (the communities they belong to)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from voliere.accounts.access import access_account
from voliere.communities import actions, queries
from voliere.communities.forms import CommunityForm, attach_error
from voliere.communities.models import Kind
from voliere.core.exceptions import InvalidInput
from voliere.core.views_helpers import domain_errors, viewer_of


@domain_errors
def directory(request: HttpRequest) -> HttpResponse:
    """`?q=` searches names and descriptions, `?sort=` activity (default), members or
    name, `?page=` pages; a malformed parameter answers 400 with the message."""
    viewer = viewer_of(request)
    query, sort, number = queries.read_directory_params(request.GET)
    page = queries.directory(viewer, query=query, sort=sort, number=number)
    show_suggestions = viewer is not None and number == 1 and not query
    return render(
        request,
        "communities/directory.html",
        {
            "page": page,
            "sorts": [
                ("activity", _("Recent activity")),
                ("members", _("Most members")),
                ("name", _("Name")),
            ],
            "suggestions": queries.suggested_communities(viewer) if show_suggestions else [],
            "invitations_count": len(queries.pending_invitations(viewer)) if viewer else 0,
            "nav": "communities",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@domain_errors
def create(request: HttpRequest) -> HttpResponse:
    """Bad input answers 400 with the message next to the field; nothing is saved."""
    viewer = viewer_of(request)
    if request.method == "GET":
        form = CommunityForm(initial={"kind": Kind.OPEN})
        return render(request, "communities/create.html", {"form": form})
    form = CommunityForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        community = actions.create_community(
            viewer,
            name=data.get("name", ""),
            slug=data.get("slug", ""),
            description=data.get("description", ""),
            rules=data.get("rules", ""),
            kind=data.get("kind") or Kind.OPEN,
        )
    except InvalidInput as error:
        attach_error(form, error)
        return render(request, "communities/create.html", {"form": form}, status=400)
    messages.success(request, _("Your community is ready. Invite people to join it."))
    return redirect(community)


@login_required
@domain_errors
def my_invitations(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    return render(
        request,
        "communities/invitations_mine.html",
        {"invitations": queries.pending_invitations(viewer), "nav": "communities"},
    )


@domain_errors
def memberships(request: HttpRequest, handle: str) -> HttpResponse:
    """The communities a person belongs to, as far as the viewer may see them."""
    viewer = viewer_of(request)
    account = access_account(viewer, handle)
    return render(
        request,
        "communities/memberships.html",
        {"account": account, "memberships": queries.memberships_of(viewer, account)},
    )
