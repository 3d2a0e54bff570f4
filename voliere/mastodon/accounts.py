"""Account endpoints (https://docs.joinmastodon.org/methods/accounts/).

Accounts are found through `voliere.accounts.access` (suspended accounts, and accounts
that block the caller, answer 404 "Record not found"); relationship changes go through
`voliere.accounts.actions`; an account's statuses through `visible_to`, so followers-only,
direct and secret-community posts reach exactly the callers the web shows them to.

Volière has no locked accounts (no follow requests: `locked` is always false, and
`update_credentials` accepts and ignores `locked`, `bot`, `discoverable`, `indexable`,
`hide_collections` and `source[...]`). Profile fields are Volière's profile links: each
value must be an http(s) address (422 otherwise), at most five.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _

from voliere.accounts import actions as account_actions
from voliere.accounts.access import access_account, access_account_by_id
from voliere.accounts.models import Account, Block, Follow
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.core.pagination import paginate
from voliere.mastodon import entities
from voliere.mastodon.models import StatusPin
from voliere.mastodon.plumbing import ApiError, api_json, api_view, page_cursor, paginated_json
from voliere.media.models import MediaAttachment
from voliere.posts.models import Hashtag, Post, PostHashtag

_FIELD_KEY = re.compile(r"^fields_attributes\[(\d+)\]\[(name|value)\]$")


def account_by_id(viewer: Account | None, raw: str) -> Account:
    """The active account with this id, unless it blocks `viewer`; NotFound otherwise."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        raise NotFound(_("No such account."))
    return access_account_by_id(viewer, int(raw))


def without_blocks(viewer: Account | None, queryset: QuerySet, field: str) -> QuerySet:
    """`queryset` minus rows whose `field` account blocks or is blocked by `viewer`."""
    if viewer is None:
        return queryset
    return queryset.exclude(
        Exists(Block.objects.filter(blocker=viewer, blocked=OuterRef(field)))
    ).exclude(Exists(Block.objects.filter(blocker=OuterRef(field), blocked=viewer)))


# --- The caller's own account ----------------------------------------------------------


@api_view(scopes=("read:accounts", "profile"))
def verify_credentials(request: HttpRequest) -> HttpResponse:
    return api_json(entities.credential_account_json(request.api_account, request))


def _profile_links(params: Any) -> list[account_actions.ProfileLink] | None:
    """`fields_attributes` as a JSON list or `{"0": {...}}`, or form keys
    `fields_attributes[0][name]`; None when the request does not mention them."""
    rows: dict[str, dict[str, str]] = {}
    body = params.body
    if isinstance(body, QueryDict):
        for key, value in body.items():
            match = _FIELD_KEY.match(key)
            if match:
                rows.setdefault(match[1], {})[match[2]] = value
        if not rows:
            return None
    elif "fields_attributes" in body:
        raw = body["fields_attributes"]
        if isinstance(raw, dict):
            raw = [raw[k] for k in sorted(raw, key=lambda k: int(k) if k.isdigit() else 0)]
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            raise InvalidInput(_("fields_attributes must be a list of {name, value}"),
                               field="fields_attributes")
        rows = {str(i): r for i, r in enumerate(raw)}
    else:
        return None
    links = []
    for _index, row in sorted(rows.items(), key=lambda item: int(item[0])):
        name = str(row.get("name") or "").strip()
        value = str(row.get("value") or "").strip()
        if name or value:
            links.append(account_actions.ProfileLink(label=name, url=value))
    if len(links) > 5:
        raise InvalidInput(_("at most 5 profile fields"), field="fields_attributes")
    return links


@api_view(scopes="write:accounts", methods=("PATCH", "POST"))
def update_credentials(request: HttpRequest) -> HttpResponse:
    account = request.api_account
    params = request.api_params
    fields = {}
    if "display_name" in params:
        fields["display_name"] = params.get_str("display_name") or ""
    if "note" in params:
        fields["bio"] = params.get_str("note") or ""
    links = _profile_links(params)
    with transaction.atomic():
        account_actions.update_profile(account, links=links, **fields)
        if request.FILES.get("avatar"):
            account_actions.update_avatar(account, request.FILES["avatar"])
        if request.FILES.get("header"):
            account_actions.update_header(account, request.FILES["header"])
    account.refresh_from_db()
    return api_json(entities.credential_account_json(account, request))


# --- Any account -----------------------------------------------------------------------


@api_view(scopes="read:accounts", auth="optional")
def detail(request: HttpRequest, account_id: str) -> HttpResponse:
    return api_json(entities.account_json(account_by_id(request.api_account, account_id),
                                          request))


def _statuses_query(request: HttpRequest, account: Account) -> QuerySet[Post]:
    params = request.api_params
    qs = Post.objects.filter(author=account)
    if params.get_bool("pinned"):
        qs = qs.filter(pk__in=StatusPin.objects.filter(account=account).values("post_id"))
    if params.get_bool("exclude_replies"):
        # Mastodon keeps an author's own threads.
        qs = qs.filter(Q(in_reply_to__isnull=True) | Q(in_reply_to_account=account))
    if params.get_bool("exclude_reblogs"):
        qs = qs.filter(reblog_of__isnull=True)
    if params.get_bool("only_media"):
        qs = qs.filter(Exists(MediaAttachment.objects.filter(
            subject_type="posts.post", subject_id=OuterRef("pk")
        )))
    tagged = (params.get_str("tagged") or "").lstrip("#").strip().casefold()
    if tagged:
        tag = Hashtag.objects.filter(name=tagged).first()
        if tag is None:
            return Post.objects.none()
        qs = qs.filter(Exists(PostHashtag.objects.filter(hashtag=tag, post=OuterRef("pk"))))
    return qs.visible_to(request.api_account).for_display()


@api_view(scopes="read:statuses", auth="optional")
def statuses(request: HttpRequest, account_id: str) -> HttpResponse:
    account = account_by_id(request.api_account, account_id)
    page = paginate(_statuses_query(request, account), page_cursor(request))
    return paginated_json(
        request, entities.statuses_json(page.items, request.api_account, request), page
    )


def _follows_page(request: HttpRequest, follows: QuerySet[Follow], side: str) -> HttpResponse:
    follows = without_blocks(
        request.api_account, follows.filter(**{f"{side}__is_suspended": False}), side
    ).select_related(side)
    page = paginate(follows, page_cursor(request, max_limit=80))
    accounts = [getattr(f, side) for f in page.items]
    return paginated_json(request, entities.accounts_json(accounts, request), page)


@api_view(scopes="read:accounts", auth="optional")
def followers(request: HttpRequest, account_id: str) -> HttpResponse:
    account = account_by_id(request.api_account, account_id)
    return _follows_page(request, Follow.objects.filter(followee=account), "follower")


@api_view(scopes="read:accounts", auth="optional")
def following(request: HttpRequest, account_id: str) -> HttpResponse:
    account = account_by_id(request.api_account, account_id)
    return _follows_page(request, Follow.objects.filter(follower=account), "followee")


# --- Relationships ---------------------------------------------------------------------


def _existing_account(viewer: Account | None, raw: str) -> Account:
    """Any account with this id: undoing one's own follow, block or mute must work even
    when the other account blocks back or is suspended."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        raise NotFound(_("No such account."))
    account = Account.objects.filter(pk=int(raw)).first()
    if account is None:
        raise NotFound(_("No such account."))
    return account


def _relationship_action(action: Any, scope: str, *, find: Any = account_by_id) -> Any:
    """An endpoint applying `action(viewer, target)` and answering the Relationship."""

    @api_view(scopes=scope, methods=("POST",))
    def view(request: HttpRequest, account_id: str) -> HttpResponse:
        viewer = request.api_account
        target = find(viewer, account_id)
        action(viewer, target)
        return api_json(entities.relationships_json(viewer, [target])[0])

    view.__name__ = action.__name__
    return view


follow = _relationship_action(account_actions.follow_account, "write:follows")
unfollow = _relationship_action(
    account_actions.unfollow_account, "write:follows", find=_existing_account
)
block = _relationship_action(account_actions.block_account, "write:blocks",
                             find=_existing_account)
unblock = _relationship_action(
    account_actions.unblock_account, "write:blocks", find=_existing_account
)
mute = _relationship_action(account_actions.mute_account, "write:mutes")
unmute = _relationship_action(account_actions.unmute_account, "write:mutes",
                              find=_existing_account)


@api_view(scopes="read:follows")
def relationships(request: HttpRequest) -> HttpResponse:
    ids = [int(raw) for raw in request.api_params.get_list("id")[:80]
           if str(raw).isascii() and str(raw).isdigit() and len(str(raw)) <= 19]
    found = {a.id: a for a in Account.objects.active().filter(pk__in=ids)}
    accounts = [found[pk] for pk in dict.fromkeys(ids) if pk in found]
    return api_json(entities.relationships_json(request.api_account, accounts))


@api_view(scopes="read:accounts", auth="optional")
def lookup(request: HttpRequest) -> HttpResponse:
    acct = (request.api_params.get_str("acct") or "").strip().lstrip("@")
    if not acct:
        raise ApiError(422, "Validation failed: acct is required")
    handle, _sep, domain = acct.partition("@")
    if domain and domain.lower() not in {request.get_host().lower(),
                                         request.get_host().split(":")[0].lower()}:
        raise NotFound(_("No such account."))
    return api_json(entities.account_json(access_account(request.api_account, handle), request))


@api_view(scopes="read:accounts")
def search(request: HttpRequest) -> HttpResponse:
    params = request.api_params
    q = (params.get_str("q") or "").strip().lstrip("@")
    limit = params.get_int("limit", 40, minimum=1, maximum=80)
    offset = params.get_int("offset", 0, minimum=0, maximum=10_000)
    if not q:
        return api_json([])
    handle = q.partition("@")[0]
    viewer = request.api_account
    accounts = Account.objects.active().filter(
        Q(handle_lower__startswith=handle.lower()) | Q(display_name__icontains=q)
    )
    if params.get_bool("following"):
        accounts = accounts.filter(
            Exists(Follow.objects.filter(follower=viewer, followee=OuterRef("pk")))
        )
    accounts = without_blocks(viewer, accounts, "pk").order_by("-followers_count", "id")
    return api_json(entities.accounts_json(accounts[offset:offset + limit], request))
