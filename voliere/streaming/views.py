"""Django views of the streaming app: the health check and the web's "new posts" cards."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from voliere.core.pagination import Cursor
from voliere.core.views_helpers import domain_errors, read_cursor, viewer_of
from voliere.timelines.queries import home_timeline


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Mastodon's `GET /api/v1/streaming/health`: plain `OK`."""
    return HttpResponse("OK", content_type="text/plain")


@login_required
@domain_errors
def new_home_posts(request: HttpRequest) -> HttpResponse:
    """The home cards newer than `min_id`, newest first, for the "new posts" bar to insert
    at the top of the timeline (the same query and permission checks as the page)."""
    cursor = read_cursor(request)
    if cursor.min_id is None:
        cursor = Cursor(min_id=0, limit=cursor.limit)
    page = home_timeline(viewer_of(request), cursor)
    return render(request, "streaming/_new_posts.html", {"page": page})
