"""Reading endpoints: bookmarks, favourites, follow requests, suggestions, trends and
conversations (direct posts).

Bookmarks and favourites page on the bookmark/like row's time-ordered id, as Mastodon
does, so `Link` cursors are those row ids and not the statuses'. Volière has no locked
accounts: follow requests are always empty and there is never one to authorize.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from voliere.lists import actions as list_actions
from voliere.mastodon import entities
from voliere.mastodon import reading_queries as rq
from voliere.mastodon.plumbing import ApiError, api_json, api_view, page_cursor, paginated_json
from voliere.mastodon.timelines import statuses_page
from voliere.timelines import queries as timelines
from voliere.timelines.sidebar import follow_suggestions

SUGGESTIONS_MAX = 80
TRENDS_MAX = 20


@api_view(scopes="read:bookmarks")
def bookmarks(request: HttpRequest) -> HttpResponse:
    return statuses_page(request, timelines.bookmarks(request.api_account, page_cursor(request)))


@api_view(scopes="read:favourites")
def favourites(request: HttpRequest) -> HttpResponse:
    return statuses_page(request, timelines.likes(request.api_account, page_cursor(request)))


@api_view(scopes="read:follows")
def follow_requests(request: HttpRequest) -> HttpResponse:
    page_cursor(request, default_limit=40, max_limit=80)  # validated all the same
    return api_json([])


@api_view(scopes="write:follows", methods=("POST",))
def follow_request_decision(request: HttpRequest, account_id: str) -> HttpResponse:
    """Authorize or reject: there is never a pending request (no locked accounts)."""
    raise ApiError(404, "Record not found")


def _limit(request: HttpRequest, default: int, maximum: int) -> int:
    """`limit`, clamped to `maximum` as Mastodon does; junk or < 1 → 422."""
    return min(request.api_params.get_int("limit", default, minimum=1), maximum)


@api_view(scopes="read:accounts")
def suggestions_v2(request: HttpRequest) -> HttpResponse:
    accounts = follow_suggestions(request.api_account, _limit(request, 40, SUGGESTIONS_MAX))
    rendered = entities.accounts_json(accounts, request)
    return api_json(
        [{"source": "global", "sources": ["friends_of_friends"], "account": account}
         for account in rendered]
    )


@api_view(scopes="read:accounts")
def suggestions_v1(request: HttpRequest) -> HttpResponse:
    accounts = follow_suggestions(request.api_account, _limit(request, 40, SUGGESTIONS_MAX))
    return api_json(entities.accounts_json(accounts, request))


def _offset(request: HttpRequest) -> int:
    return request.api_params.get_int("offset", 0, minimum=0, maximum=10_000)


@api_view(auth="optional")
def trends_tags(request: HttpRequest) -> HttpResponse:
    trends = rq.trending_tags(
        request.api_account, limit=_limit(request, 10, TRENDS_MAX), offset=_offset(request)
    )
    return api_json(
        [{**entities.tag_json(t.name, request), "history": t.history} for t in trends]
    )


@api_view(auth="optional")
def trends_statuses(request: HttpRequest) -> HttpResponse:
    posts = rq.trending_posts(
        request.api_account, limit=_limit(request, 20, 40), offset=_offset(request)
    )
    return api_json(entities.statuses_json(posts, request.api_account, request))


@api_view(auth="optional")
def trends_links(request: HttpRequest) -> HttpResponse:
    return api_json([])


def _conversations_json(items: list[rq.Conversation], request: HttpRequest) -> list[dict]:
    """Conversation entities; statuses and participants each serialized in one batch."""
    statuses = entities.statuses_json(
        [c.last_status for c in items], request.api_account, request
    )
    people = {a.id: a for c in items for a in c.participants}
    rendered = dict(zip(people, entities.accounts_json(people.values(), request), strict=True))
    return [
        {
            "id": str(c.id),
            "unread": c.unread,
            "accounts": [rendered[a.id] for a in c.participants],
            "last_status": status,
        }
        for c, status in zip(items, statuses, strict=True)
    ]


@api_view(scopes="read:statuses")
def conversations(request: HttpRequest) -> HttpResponse:
    page = rq.conversations_page(request.api_account, page_cursor(request))
    return paginated_json(request, _conversations_json(page.items, request), page)


@api_view(scopes="write:conversations", methods=("POST",))
def conversation_read(request: HttpRequest, conversation_id: str) -> HttpResponse:
    conversation = rq.access_conversation(request.api_account, conversation_id)
    list_actions.mark_conversation_read(
        request.api_account, conversation.id, conversation.last_status.id
    )
    conversation.unread = False
    return api_json(_conversations_json([conversation], request)[0])


@api_view(scopes="write:conversations", methods=("DELETE",))
def conversation_delete(request: HttpRequest, conversation_id: str) -> HttpResponse:
    conversation = rq.access_conversation(request.api_account, conversation_id)
    list_actions.hide_conversation(
        request.api_account, conversation.id, conversation.last_status.id
    )
    return api_json({})
