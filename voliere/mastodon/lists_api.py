"""List endpoints: `/api/v1/lists` CRUD, members, and `GET /api/v1/accounts/:id/lists`.

A List entity is `{id, title, replies_policy, exclusive}`. Lists are private to their
owner: someone else's list id answers 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from voliere.accounts.access import access_account_by_id
from voliere.core.exceptions import NotFound
from voliere.lists import actions
from voliere.lists.access import access_list, parse_account_ids
from voliere.lists.models import List
from voliere.lists.queries import lists_containing, lists_of, members_page
from voliere.mastodon import entities
from voliere.mastodon.plumbing import api_json, api_view, page_cursor, paginated_json

READ_WRITE = {"GET": "read:lists", "POST": "write:lists", "PUT": "write:lists",
              "DELETE": "write:lists"}


def list_json(lst: List) -> dict[str, Any]:
    return {
        "id": str(lst.id),
        "title": lst.title,
        "replies_policy": lst.replies_policy,
        "exclusive": lst.exclusive,
    }


@api_view(scopes=READ_WRITE, methods=("GET", "POST"))
def index(request: HttpRequest) -> HttpResponse:
    owner = request.api_account
    if request.method == "POST":
        params = request.api_params
        lst = actions.create_list(
            owner,
            params.get_str("title"),
            replies_policy=params.get_str("replies_policy"),
            exclusive=params.get_bool("exclusive"),
        )
        return api_json(list_json(lst))
    return api_json([list_json(lst) for lst in lists_of(owner)])


@api_view(scopes=READ_WRITE, methods=("GET", "PUT", "DELETE"))
def detail(request: HttpRequest, list_id: str) -> HttpResponse:
    lst = access_list(request.api_account, list_id)
    if request.method == "DELETE":
        actions.delete_list(lst)
        return api_json({})
    if request.method == "PUT":
        params = request.api_params
        actions.update_list(
            lst,
            title=params.get_str("title"),
            replies_policy=params.get_str("replies_policy"),
            exclusive=params.get_bool("exclusive") if "exclusive" in params else None,
        )
    return api_json(list_json(lst))


@api_view(scopes=READ_WRITE, methods=("GET", "POST", "DELETE"))
def members(request: HttpRequest, list_id: str) -> HttpResponse:
    lst = access_list(request.api_account, list_id)
    if request.method == "GET":
        page = members_page(lst, page_cursor(request, default_limit=40, max_limit=80))
        return paginated_json(request, entities.accounts_json(page.items, request), page)
    ids = parse_account_ids(request.api_params.get_list("account_ids"))
    if request.method == "POST":
        actions.add_members(lst, ids)
    else:
        actions.remove_members(lst, ids)
    return api_json({})


@api_view(scopes="read:lists")
def account_lists(request: HttpRequest, account_id: str) -> HttpResponse:
    """The caller's lists that contain this account."""
    if not (account_id.isascii() and account_id.isdigit()) or len(account_id) > 19:
        raise NotFound("no such account")
    account = access_account_by_id(request.api_account, int(account_id))
    return api_json([list_json(lst) for lst in lists_containing(request.api_account, account)])
