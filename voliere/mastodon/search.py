"""`GET /api/v2/search` and its v1 fallback (`hashtags` as plain strings).

Mastodon requires a user token for `resolve` and for offsets; anonymous callers get
accounts and hashtags only (statuses need a signed-in viewer), and every result passed
the permission rules of `search_queries`.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from voliere.mastodon import entities
from voliere.mastodon import search_queries as sq
from voliere.mastodon.plumbing import ApiError, api_json, api_view


def _run(request: HttpRequest) -> sq.SearchResults:
    query = sq.parse_query(request.GET, host=request.get_host())
    if request.api_account is None and (query.resolve or query.offset):
        raise ApiError(401, "Search queries with resolve or offset require an authenticated user")
    return sq.search(request.api_account, query, host=request.get_host())


@api_view(scopes="read:search", auth="optional")
def search_v2(request: HttpRequest) -> HttpResponse:
    found = _run(request)
    return api_json(
        {
            "accounts": entities.accounts_json(found.accounts, request),
            "statuses": entities.statuses_json(found.statuses, request.api_account, request),
            "hashtags": [entities.tag_json(name, request) for name in found.hashtags],
        }
    )


@api_view(scopes="read:search", auth="optional")
def search_v1(request: HttpRequest) -> HttpResponse:
    found = _run(request)
    return api_json(
        {
            "accounts": entities.accounts_json(found.accounts, request),
            "statuses": entities.statuses_json(found.statuses, request.api_account, request),
            "hashtags": found.hashtags,
        }
    )
