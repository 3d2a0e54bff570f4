"""Timeline pages: home, organisation, hashtag, profile tabs, bookmarks and likes.

Each page reads its cursor from the query string (400 with the message when malformed),
asks `voliere.timelines.queries` for a page of decorated posts (visibility decided there),
and renders cards with Newer/Older links. An HTMX "load more" request gets only the next
cards and pager, appended in place. The side column (trending hashtags, who to follow)
is a separate fragment the timeline pages load after they are shown, so its reads never
slow down or vary the page itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from voliere.accounts.access import access_account
from voliere.accounts.queries import profile_header_context
from voliere.core.pagination import Cursor, Page
from voliere.core.views_helpers import (
    domain_errors,
    is_htmx,
    read_cursor,
    safe_next,
    viewer_of,
)
from voliere.posts.forms import PostForm
from voliere.timelines import queries
from voliere.timelines import sidebar as side


def _render_page(
    request: HttpRequest, template: str, page: Page, cursor: Cursor, **context: Any
) -> HttpResponse:
    context.update(page=page, is_first_page=cursor.max_id is None and cursor.min_id is None)
    if is_htmx(request) and request.GET.get("max_id"):
        return render(request, "timelines/_entries.html", context)
    return render(request, template, context)


@login_required
@domain_errors
def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    cursor = read_cursor(request)
    page = queries.home_timeline(viewer, cursor)
    return _render_page(
        request, "timelines/home.html", page, cursor, nav="home", form=PostForm()
    )


@domain_errors
def organisation(request: HttpRequest) -> HttpResponse:
    cursor = read_cursor(request)
    page = queries.organisation_timeline(viewer_of(request), cursor)
    return _render_page(request, "timelines/organisation.html", page, cursor, nav="organisation")


@domain_errors
def hashtag(request: HttpRequest, name: str) -> HttpResponse:
    cursor = read_cursor(request)
    page = queries.hashtag_timeline(viewer_of(request), name, cursor)
    return _render_page(request, "timelines/hashtag.html", page, cursor, tag=name.casefold())


def _profile(request: HttpRequest, handle: str, tab: str) -> HttpResponse:
    """404 for an unknown handle or an account that blocks the viewer (`access_account`)."""
    viewer = viewer_of(request)
    account = access_account(viewer, handle)
    cursor = read_cursor(request)
    page = queries.profile_timeline(viewer, account, cursor, tab=tab)
    tabs = [
        (name, reverse(url_name, args=[account.handle]), label)
        for name, url_name, label in _profile_tabs()
    ]
    return _render_page(
        request,
        "timelines/profile.html",
        page,
        cursor,
        **profile_header_context(viewer, account),
        tab=tab,
        tabs=tabs,
        nav="profile" if viewer is not None and viewer.id == account.id else None,
    )


def _profile_tabs() -> list[tuple[str, str, str]]:
    return [
        ("posts", "profile", gettext("Posts")),
        ("replies", "profile_replies", gettext("Posts & replies")),
        ("media", "profile_media", gettext("Media")),
    ]


@domain_errors
def profile(request: HttpRequest, handle: str) -> HttpResponse:
    return _profile(request, handle, "posts")


@domain_errors
def profile_replies(request: HttpRequest, handle: str) -> HttpResponse:
    return _profile(request, handle, "replies")


@domain_errors
def profile_media(request: HttpRequest, handle: str) -> HttpResponse:
    return _profile(request, handle, "media")


@login_required
@domain_errors
def bookmarks(request: HttpRequest) -> HttpResponse:
    cursor = read_cursor(request)
    page = queries.bookmarks(viewer_of(request), cursor)
    return _render_page(request, "timelines/saved.html", page, cursor, nav="bookmarks",
                        kind="bookmarks")


@login_required
@domain_errors
def likes(request: HttpRequest) -> HttpResponse:
    cursor = read_cursor(request)
    page = queries.likes(viewer_of(request), cursor)
    return _render_page(request, "timelines/saved.html", page, cursor, nav="likes", kind="likes")


@domain_errors
def sidebar(request: HttpRequest) -> HttpResponse:
    """The side column fragment: trending hashtags in the viewer's scope, suggestions to
    follow (signed-in viewers only) and the people directory link. `next` is where a
    follow button returns without JavaScript."""
    viewer = viewer_of(request)
    return render(
        request,
        "timelines/_sidebar.html",
        {
            "trending": side.trending_hashtags(viewer),
            "suggestions": side.follow_suggestions(viewer),
            "next": safe_next(request, reverse("home")),
        },
    )
