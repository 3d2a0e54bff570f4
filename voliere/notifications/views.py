"""The notifications page, "mark all read", and the unread badge polled by the top bar."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from voliere.core.exceptions import InvalidInput
from voliere.core.pagination import paginate
from voliere.core.views_helpers import domain_errors, is_htmx, read_cursor, viewer_of
from voliere.notifications.actions import mark_read
from voliere.notifications.models import NotificationKind
from voliere.notifications.queries import unread_count, visible_notifications
from voliere.notifications.subjects import attach_subjects

FILTERS = {
    "all": None,
    "mentions": (NotificationKind.MENTION, NotificationKind.REPLY),
}


@login_required
@domain_errors
def notifications(request: HttpRequest) -> HttpResponse:
    """Newest first, cursor paged; `?filter=mentions` keeps mentions and replies.

    The page is drawn with unread items highlighted. Viewing changes nothing (a GET has no
    side effects, so a link from another site cannot clear the badge): on the "all" tab,
    which shows every kind, the page itself then POSTs `up_to_id` with htmx to mark
    everything up to its newest item read. The mentions tab leaves the other kinds unread.
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
    attach_subjects(page.items)
    newest = max((n.id for n in page.items if n.read_at is None), default=None)
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "filter": current,
            "nav": "notifications",
            "is_first_page": cursor.max_id is None and cursor.min_id is None,
            "mark_read_up_to": newest if current == "all" else None,
        },
    )


@login_required
@require_POST
@domain_errors
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark all read, or only up to `up_to_id` (what the page showed); answers htmx with
    the refreshed unread badge."""
    raw = request.POST.get("up_to_id", "")
    if raw and not (raw.isascii() and raw.isdigit()):
        raise InvalidInput(gettext("up_to_id must be a notification id."), field="up_to_id")
    viewer = viewer_of(request)
    mark_read(viewer, up_to_id=int(raw) if raw else None)
    if is_htmx(request):
        return render(request, "notifications/_count.html", {"count": unread_count(viewer)})
    return redirect("notifications")


def notifications_count(request: HttpRequest) -> HttpResponse:
    """The unread badge; anonymous visitors get an empty badge that stops polling."""
    viewer = viewer_of(request)
    count = unread_count(viewer) if viewer is not None else 0
    return render(request, "notifications/_count.html", {"count": count})
