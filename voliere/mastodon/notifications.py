"""Notification and marker endpoints (GET /api/v1/notifications..., /api/v1/markers).

A Notification entity is `{id, type, created_at, account, status?, group_key}`; statuses
are serialized in one batch for the whole page. Only Mastodon-typed notifications are
served (see `notification_queries.MASTODON_TYPE`), filtered exactly like the web page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse

from voliere.accounts.models import Account
from voliere.lists import actions as list_actions
from voliere.lists.models import Marker, MarkerTimeline
from voliere.mastodon import entities
from voliere.mastodon import notification_queries as nq
from voliere.mastodon.plumbing import (
    ApiError,
    api_json,
    api_view,
    iso,
    page_cursor,
    paginated_json,
)
from voliere.notifications.models import Notification
from voliere.posts.models import Post


def notifications_json(
    notifications: Iterable[Notification], viewer: Account, request: HttpRequest
) -> list[dict[str, Any]]:
    """Serialize a page; posts are loaded again through `visible_to` for display, so a
    notification whose post the viewer lost sight of meanwhile carries no status."""
    notifications = list(notifications)
    post_ids = [n.post_id for n in notifications if n.post_id]
    posts = list(Post.objects.visible_to(viewer).for_display().filter(pk__in=post_ids))
    statuses = dict(
        zip((p.id for p in posts), entities.statuses_json(posts, viewer, request), strict=True)
    )
    actors = dict(
        zip(
            (n.actor_id for n in notifications),
            entities.accounts_json([n.actor for n in notifications], request),
            strict=True,
        )
    )
    result = []
    for n in notifications:
        item = {
            "id": str(n.id),
            "type": nq.MASTODON_TYPE[n.kind],
            "created_at": iso(n.created_at),
            "group_key": f"ungrouped-{n.id}",
            "account": actors[n.actor_id],
        }
        if n.post_id:
            if n.post_id not in statuses:
                continue
            item["status"] = statuses[n.post_id]
        result.append(item)
    return result


@api_view(scopes="read:notifications")
def index(request: HttpRequest) -> HttpResponse:
    params = request.api_params
    where = nq.NotificationFilter.from_params(
        params.get_list("types"), params.get_list("exclude_types"), params.get_str("account_id")
    )
    cursor = page_cursor(request, default_limit=40, max_limit=80)
    page = nq.notifications_page(request.api_account, cursor, where)
    return paginated_json(request, notifications_json(page.items, request.api_account, request),
                          page)


@api_view(scopes="read:notifications")
def detail(request: HttpRequest, notification_id: str) -> HttpResponse:
    notification = nq.access_notification(request.api_account, notification_id)
    items = notifications_json([notification], request.api_account, request)
    if not items:
        raise ApiError(404, "Record not found")
    return api_json(items[0])


@api_view(scopes="write:notifications", methods=("POST",))
def dismiss(request: HttpRequest, notification_id: str) -> HttpResponse:
    notification = nq.access_notification(request.api_account, notification_id)
    nq.dismiss_notification(request.api_account, notification)
    return api_json({})


@api_view(scopes="write:notifications", methods=("POST",))
def clear(request: HttpRequest) -> HttpResponse:
    nq.clear_notifications(request.api_account)
    return api_json({})


@api_view(scopes="read:notifications")
def unread_count(request: HttpRequest) -> HttpResponse:
    """Mastodon 4.3's badge count (`GET /api/v1/notifications/unread_count`)."""
    count = nq.api_notifications(request.api_account).filter(read_at__isnull=True).count()
    return api_json({"count": min(count, 1000)})


# --- Markers ------------------------------------------------------------------------------


def _marker_json(marker: Marker) -> dict[str, Any]:
    return {
        "last_read_id": str(marker.last_read_id),
        "version": marker.version,
        "updated_at": iso(marker.updated_at),
    }


def _read_positions(request: HttpRequest) -> dict[str, int]:
    """`home[last_read_id]=…` (form) or `{"home": {"last_read_id": "…"}}` (JSON)."""
    positions = {}
    for timeline in MarkerTimeline.values:
        value = request.api_params.get_dict(timeline).get("last_read_id")
        if value in (None, ""):
            continue
        text = str(value[-1] if isinstance(value, list) else value)
        if not (text.isascii() and text.isdigit()) or len(text) > 19:
            raise ApiError(
                422, f"Validation failed: {timeline}[last_read_id] must be an id, got {text!r}"
            )
        positions[timeline] = int(text)
    if not positions:
        raise ApiError(422, "Validation failed: give home[last_read_id] or "
                            "notifications[last_read_id]")
    return positions


@api_view(scopes={"GET": "read:statuses", "POST": "write:statuses"}, methods=("GET", "POST"))
def markers(request: HttpRequest) -> HttpResponse:
    account = request.api_account
    if request.method == "POST":
        try:
            saved = list_actions.save_markers(account, _read_positions(request))
        except list_actions.MarkerConflict as conflict:
            raise ApiError(409, conflict.message) from None
        return api_json({m.timeline: _marker_json(m) for m in saved})
    wanted = [t for t in request.api_params.get_list("timeline") if t in MarkerTimeline.values]
    found = Marker.objects.filter(account=account, timeline__in=wanted)
    return api_json({m.timeline: _marker_json(m) for m in found})
