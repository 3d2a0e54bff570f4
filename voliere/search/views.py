"""The search page (`/search/?q=`) and its live updates (`/search/live/`).

Tabs per kind ("all" shows the first few of each), relevance or latest order, offset
pages. Bad syntax is a 400 page that shows the query again with the parser's message.
The live endpoint (htmx polling every few seconds, `since_id` = newest post shown)
returns only newer posts the viewer may see, prepended to the list out of band, and the
next poller.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voliere.core.exceptions import InvalidInput
from voliere.core.views_helpers import viewer_of
from voliere.search.engine import ORDERS, kind_names, search

ALL = "all"
ALL_PER_KIND = 5
PAGE_SIZE = 20
LIVE_INTERVAL_SECONDS = 5
TAB_LABELS = {
    ALL: gettext_lazy("All"),
    "posts": gettext_lazy("Posts"),
    "people": gettext_lazy("People"),
    "hashtags": gettext_lazy("Hashtags"),
    "communities": gettext_lazy("Communities"),
    "articles": gettext_lazy("Articles"),
    "threads": gettext_lazy("Questions"),
}


def _int_param(request: HttpRequest, name: str, default: int | None) -> int | None:
    raw = request.GET.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(
            _("“%(name)s” must be a whole number.") % {"name": name}, field=name
        ) from None
    if value < 0:
        raise InvalidInput(_("“%(name)s” cannot be negative.") % {"name": name}, field=name)
    return value


def search_page(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    query = request.GET.get("q", "").strip()
    kinds = kind_names()
    tab = request.GET.get("tab", ALL)
    tab = tab if tab in kinds else ALL
    order = request.GET.get("order", "relevance")
    order = order if order in ORDERS else "relevance"
    context = {
        "query": query,
        "tab": tab,
        "order": order,
        "tabs": [(name, TAB_LABELS.get(name, name)) for name in [ALL, *kinds]],
        "results": None,
        "error": None,
        "live_interval": LIVE_INTERVAL_SECONDS,
        "nav": "search",
    }
    status = 200
    if query:
        try:
            offset = _int_param(request, "offset", 0) or 0
            results = search(
                viewer,
                query,
                kinds=None if tab == ALL else [tab],
                order=order,
                limit=ALL_PER_KIND if tab == ALL else PAGE_SIZE,
                offset=0 if tab == ALL else offset,
            )
            context.update(
                results=results,
                sections=[
                    (name, TAB_LABELS.get(name, name), found)
                    for name, found in results.by_kind.items()
                ],
                offset=offset,
                next_offset=offset + PAGE_SIZE,
                prev_offset=max(0, offset - PAGE_SIZE) if offset else None,
                live=order == "latest" and tab in (ALL, "posts") and offset == 0,
                since_id=results.newest_post_id or 0,
            )
        except InvalidInput as error:
            context["error"] = error
            status = 400
    return render(request, "search/search.html", context, status=status)


def search_live(request: HttpRequest) -> HttpResponse:
    """Posts newer than `since_id` matching `q`, for the poller on the search page."""
    viewer = viewer_of(request)
    query = request.GET.get("q", "").strip()
    try:
        since_id = _int_param(request, "since_id", 0) or 0
        results = search(
            viewer, query, kinds=["posts"], order="latest", limit=PAGE_SIZE, since_id=since_id
        )
    except InvalidInput as error:  # QuerySyntaxError included
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    found = results.by_kind["posts"]
    return render(
        request,
        "search/_live.html",
        {
            "query": query,
            "items": found.items,
            "since_id": max(results.newest_post_id or 0, since_id),
            "live_interval": LIVE_INTERVAL_SECONDS,
        },
    )
