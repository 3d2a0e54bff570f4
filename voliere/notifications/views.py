"""The notifications page, "mark all read", and the unread badge polled by the top bar."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from voliere.core.pagination import paginate
from voliere.core.views_helpers import domain_errors, is_htmx, read_cursor, viewer_of
from voliere.notifications.actions import mark_read
from voliere.notifications.models import NotificationKind
from voliere.notifications.queries import unread_count, visible_notifications

FILTERS = {
    "all": None,
    "mentions": (NotificationKind.MENTION, NotificationKind.REPLY),
}


@login_required
@domain_errors
def notifications(request: HttpRequest) -> HttpResponse:
    """Newest first, cursor paged; `?filter=mentions` keeps mentions and replies.

    The page is drawn with unread items highlighted, then (on the "all" tab, which shows
    every kind) everything up to its newest item is marked read, so a second visit shows
    them as read. The mentions tab leaves the other kinds unread.
    """
    viewer = viewer_of(request)
    cursor = read_cursor(request)
    current = request.GET.get("filter", "all")
    if current not in FILTERS:
        current = "all"
    qs = visible_notifications(viewer)
    if FILTERS[current]:
        qs = qs.filter(kind__in=FILTERS[current])
    page = paginate(qs, cursor)
    response = render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "filter": current,
            "nav": "notifications",
            "is_first_page": cursor.max_id is None and cursor.min_id is None,
        },
    )
    if page.items and current == "all":
        mark_read(viewer, up_to_id=max(n.id for n in page.items))
    return response


@login_required
@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    mark_read(viewer_of(request))
    if is_htmx(request):
        return render(request, "notifications/_count.html", {"count": 0})
    return redirect("notifications")


def notifications_count(request: HttpRequest) -> HttpResponse:
    """The unread badge; anonymous visitors get an empty badge that stops polling."""
    viewer = viewer_of(request)
    count = unread_count(viewer) if viewer is not None else 0
    return render(request, "notifications/_count.html", {"count": count})
