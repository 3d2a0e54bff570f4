"""Timeline endpoints: home, public, tag, list (GET /api/v1/timelines/...).

Pages come from `timeline_queries` (visibility decided by `visible_to`, as everywhere),
statuses are serialized in one batch by `entities.statuses_json`, and the `Link` header
(`rel="next"` first) comes from the plumbing's paginator.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from voliere.core.pagination import Page
from voliere.lists.access import access_list
from voliere.mastodon import entities, status_cache
from voliere.mastodon import timeline_queries as q
from voliere.mastodon.plumbing import api_view, link_header, page_cursor, paginated_json
from voliere.posts.models import Post


def statuses_page(request: HttpRequest, page: Page[Post]) -> HttpResponse:
    """The page's statuses as the caller sees them, with the `Link` header."""
    items = entities.statuses_json(page.items, request.api_account, request)
    return paginated_json(request, items, page)


@api_view(scopes="read:statuses")
def home(request: HttpRequest) -> HttpResponse:
    """The busiest read of every client: rows from two compiled queries (entries, then
    `visible_to` on just those ids), statuses assembled from cached JSON text."""
    page = q.home_rows(request.api_account, page_cursor(request))
    body = status_cache.render_rows(page.items, request.api_account, request)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    link = link_header(request, next_max_id=page.next_max_id, prev_min_id=page.prev_min_id)
    if link:
        response["Link"] = link
    return response


def _flags(request: HttpRequest) -> dict[str, bool]:
    params = request.api_params
    return {"remote": params.get_bool("remote"), "only_media": params.get_bool("only_media")}


@api_view(scopes="read:statuses", auth="optional")
def public(request: HttpRequest) -> HttpResponse:
    page = q.public_page(request.api_account, page_cursor(request), **_flags(request))
    return statuses_page(request, page)


@api_view(scopes="read:statuses", auth="optional")
def tag(request: HttpRequest, hashtag: str) -> HttpResponse:
    params = request.api_params
    query = q.TagQuery(
        tag=hashtag,
        any=params.get_list("any"),
        all=params.get_list("all"),
        none=params.get_list("none"),
    )
    page = q.tag_page(request.api_account, query, page_cursor(request), **_flags(request))
    return statuses_page(request, page)


@api_view(scopes="read:lists")
def list_timeline(request: HttpRequest, list_id: str) -> HttpResponse:
    lst = access_list(request.api_account, list_id)
    return statuses_page(request, q.list_page(lst, request.api_account, page_cursor(request)))
