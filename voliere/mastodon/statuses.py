"""Status endpoints (https://docs.joinmastodon.org/methods/statuses/).

Every change goes through Volière's actions (`voliere.posts.actions`, `voliere.polls`)
and every read through `access_post` / `visible_to`, exactly as the web pages: a status
the caller may not see answers 404 "Record not found" whether it exists or not.
Anonymous callers and application-only tokens see what an anonymous visitor sees
(public posts only, never internal ones).

Idempotency: `POST /api/v1/statuses` with an `Idempotency-Key` header records the key
with the new post (`PostedStatus`, unique per account and key); the same key from the
same account within an hour returns the first status. Two concurrent requests with one
key race to insert that row in the transaction that publishes: the loser's transaction
rolls back (its post with it) and it answers with the winner's status.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.core.pagination import Page, paginate
from voliere.mastodon import entities
from voliere.mastodon.accounts import without_blocks
from voliere.mastodon.models import MAX_PINS, PostedStatus, StatusPin
from voliere.mastodon.plumbing import (
    INVALID_TOKEN,
    USER_REQUIRED,
    ApiError,
    ApiParams,
    api_json,
    api_view,
    page_cursor,
    paginated_json,
)
from voliere.polls.actions import PollSpec, check_poll, create_poll
from voliere.posts import actions
from voliere.posts.access import access_post
from voliere.posts.models import Like, Post, Visibility
from voliere.posts.threads import thread_for

IDEMPOTENCY_WINDOW = timedelta(hours=1)


def require_user(request: HttpRequest) -> Account:
    """The token's account for endpoints whose GET is open but whose writes are not."""
    if request.api_token is None:
        raise ApiError(401, INVALID_TOKEN)
    if request.api_account is None:
        raise ApiError(422, USER_REQUIRED)
    return request.api_account


def _render(request: HttpRequest, post: Post) -> HttpResponse:
    """The status as the caller sees it now (reloaded: counters changed by the action)."""
    fresh = access_post(request.api_account, post.pk)
    return api_json(entities.status_json(fresh, request.api_account, request))


# --- Create ----------------------------------------------------------------------------


def _visibility(raw: str | None) -> str:
    if raw in (None, ""):
        return Visibility.PUBLIC
    try:
        return entities.FROM_MASTODON[raw]
    except KeyError:
        raise InvalidInput(
            _("visibility must be one of public, unlisted, private, direct (got %(value)s)")
            % {"value": repr(raw)[:40]},
            field="visibility",
        ) from None


def _poll_spec(request: HttpRequest) -> PollSpec | None:
    params = request.api_params
    raw = params.get_dict("poll")
    if not raw:
        return None
    options = raw.get("options")
    if isinstance(options, str):
        options = [options]
    if not isinstance(options, list):
        raise InvalidInput(_("poll[options] must be a list of strings"), field="poll[options]")
    try:
        expires_in = int(str(raw.get("expires_in", "")).strip())
    except ValueError:
        raise InvalidInput(_("poll[expires_in] must be a number of seconds"),
                           field="poll[expires_in]") from None
    nested = ApiParams(QueryDict(), raw)  # read booleans with the usual rules
    return check_poll(PollSpec(
        options=[str(o) for o in options],
        expires_in=expires_in,
        multiple=nested.get_bool("multiple"),
        hide_totals=nested.get_bool("hide_totals"),
    ))


def _optional_post(viewer: Account, raw: Any) -> Post | None:
    if raw in (None, ""):
        return None
    return access_post(viewer, raw)


def _publish(request: HttpRequest, author: Account, key: str) -> Post:
    """Publish from the request's parameters, in one transaction with its poll and its
    `PostedStatus` row (IntegrityError when another request took the idempotency key)."""
    params = request.api_params
    if params.get("scheduled_at"):
        raise InvalidInput(_("scheduled statuses are not supported"), field="scheduled_at")
    media_ids = params.get_list("media_ids")
    poll = _poll_spec(request)
    if poll is not None and media_ids:
        raise InvalidInput(_("a status cannot have both media and a poll"), field="poll")
    with transaction.atomic():
        post = actions.publish_post(
            author,
            params.get_str("status") or "",
            visibility=_visibility(params.get_str("visibility")),
            in_reply_to=_optional_post(author, params.get("in_reply_to_id")),
            quote_of=_optional_post(author, params.get("quoted_status_id")),
            spoiler_text=params.get_str("spoiler_text") or "",
            language=params.get_str("language") or "",
            media_ids=media_ids,
        )
        if poll is not None:
            create_poll(post, poll)
        PostedStatus.objects.create(
            post=post,
            account=author,
            application_id=request.api_token.application_id,
            idempotency_key=key,
        )
    return post


def _remembered(author: Account, key: str) -> Post | None:
    row = PostedStatus.objects.filter(
        account=author, idempotency_key=key, created_at__gte=timezone.now() - IDEMPOTENCY_WINDOW
    ).first()
    return None if row is None else Post.objects.filter(pk=row.post_id).first()


def create(request: HttpRequest) -> HttpResponse:
    author = require_user(request)
    key = request.headers.get("Idempotency-Key", "").strip()[:200]
    if key:
        earlier = _remembered(author, key)
        if earlier is not None:
            return _render(request, earlier)
        # A key older than the window may be used again (only stale rows: a fresh one
        # may belong to a concurrent request that committed since the look-up above).
        PostedStatus.objects.filter(
            account=author, idempotency_key=key,
            created_at__lt=timezone.now() - IDEMPOTENCY_WINDOW,
        ).update(idempotency_key="")
    try:
        post = _publish(request, author, key)
    except IntegrityError:
        earlier = _remembered(author, key) if key else None
        if earlier is None:
            raise
        post = earlier
    return _render(request, post)


def _many(request: HttpRequest) -> HttpResponse:
    """`GET /api/v1/statuses?id[]=…`: the visible ones, in the order asked."""
    wanted = []
    for raw in request.api_params.get_list("id")[:40]:
        text = str(raw)
        if text.isascii() and text.isdigit() and len(text) <= 19:
            wanted.append(int(text))
    viewer = request.api_account
    found = {p.id: p for p in Post.objects.visible_to(viewer).for_display().filter(pk__in=wanted)}
    posts = [found[pk] for pk in wanted if pk in found]
    return api_json(entities.statuses_json(posts, viewer, request))


@api_view(scopes={"GET": "read:statuses", "POST": "write:statuses"}, methods=("GET", "POST"),
          auth="optional")
def collection(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return create(request)
    return _many(request)


# --- One status ------------------------------------------------------------------------


def _delete(request: HttpRequest, status_id: str) -> HttpResponse:
    author = require_user(request)
    post = access_post(author, status_id)
    if post.author_id != author.id:
        raise NotFound(_("No such post."))
    data = entities.status_json(post, author, request)
    data["text"] = post.text  # for "delete and redraft"
    actions.delete_post(author, post)
    return api_json(data)


def _edit(request: HttpRequest, status_id: str) -> HttpResponse:
    author = require_user(request)
    post = access_post(author, status_id)
    if post.author_id != author.id:
        raise NotFound(_("No such post."))
    params = request.api_params
    if params.get_dict("poll"):
        raise InvalidInput(_("polls cannot be changed by an edit"), field="poll")
    if "media_ids" in params:
        current = list(entities.status_json(post, author, request)["media_attachments"])
        asked = [str(m) for m in params.get_list("media_ids")]
        if asked != [m["id"] for m in current]:
            raise InvalidInput(_("attachments cannot be changed by an edit yet"),
                               field="media_ids")
    actions.edit_post(
        author,
        post,
        params.get_str("status") or "",
        # Mastodon clears the content warning when an edit sends none.
        spoiler_text=params.get_str("spoiler_text") or "",
        language=params.get_str("language"),
    )
    return _render(request, post)


@api_view(scopes={"GET": "read:statuses", "DELETE": "write:statuses", "PUT": "write:statuses"},
          methods=("GET", "DELETE", "PUT"), auth="optional")
def detail(request: HttpRequest, status_id: str) -> HttpResponse:
    if request.method == "DELETE":
        return _delete(request, status_id)
    if request.method == "PUT":
        return _edit(request, status_id)
    return _render(request, access_post(request.api_account, status_id))


@api_view(scopes="read:statuses", auth="optional")
def context(request: HttpRequest, status_id: str) -> HttpResponse:
    viewer = request.api_account
    focus = access_post(viewer, status_id)
    if focus.is_reblog:
        focus = access_post(viewer, focus.reblog_of_id)
    thread = thread_for(viewer, focus)
    # The web thread keeps tombstones to hold replies in place; statuses have none.
    ancestors = [p for p in thread.ancestors if p.deleted_at is None]
    descendants = [p for p in thread.descendants if p.deleted_at is None]
    rendered = entities.statuses_json([*ancestors, *descendants], viewer, request)
    return api_json({
        "ancestors": rendered[: len(ancestors)],
        "descendants": rendered[len(ancestors):],
    })


@api_view(scopes="read:statuses", auth="optional")
def history(request: HttpRequest, status_id: str) -> HttpResponse:
    post = access_post(request.api_account, status_id)
    return api_json(entities.status_history_json(post, request))


@api_view(scopes="read:statuses")
def source(request: HttpRequest, status_id: str) -> HttpResponse:
    return api_json(entities.status_source_json(access_post(request.api_account, status_id)))


# --- Interactions ----------------------------------------------------------------------


@api_view(scopes="write:statuses", methods=("POST",))
def reblog(request: HttpRequest, status_id: str) -> HttpResponse:
    viewer = request.api_account
    boost = actions.repost(viewer, access_post(viewer, status_id))
    return _render(request, boost)


@api_view(scopes="write:statuses", methods=("POST",))
def unreblog(request: HttpRequest, status_id: str) -> HttpResponse:
    viewer = request.api_account
    post = access_post(viewer, status_id)
    actions.undo_repost(viewer, post)
    return _render(request, post.reblog_of if post.is_reblog else post)


def _toggle(action_name: str, scope: str):
    """An endpoint that applies `actions.<action_name>` and answers with the status."""

    @api_view(scopes=scope, methods=("POST",))
    def view(request: HttpRequest, status_id: str) -> HttpResponse:
        viewer = request.api_account
        post = access_post(viewer, status_id)
        getattr(actions, action_name)(viewer, post)
        return _render(request, post.reblog_of if post.is_reblog else post)

    view.__name__ = action_name
    return view


favourite = _toggle("like_post", "write:favourites")
unfavourite = _toggle("unlike_post", "write:favourites")
bookmark = _toggle("bookmark_post", "write:bookmarks")
unbookmark = _toggle("unbookmark_post", "write:bookmarks")


@api_view(scopes="write:accounts", methods=("POST",))
def pin(request: HttpRequest, status_id: str) -> HttpResponse:
    viewer = request.api_account
    post = access_post(viewer, status_id)
    if post.author_id != viewer.id or post.is_reblog:
        raise InvalidInput(_("only your own posts can be pinned"), field="status")
    if post.visibility not in entities.PINNABLE:
        raise InvalidInput(_("only public and internal posts can be pinned"), field="status")
    with transaction.atomic():
        # Lock the account row: two concurrent pins cannot both pass the limit.
        Account.objects.select_for_update().filter(pk=viewer.pk).first()
        if not StatusPin.objects.filter(account=viewer, post=post).exists():
            if StatusPin.objects.filter(account=viewer).count() >= MAX_PINS:
                raise InvalidInput(
                    _("at most %(n)s posts can be pinned") % {"n": MAX_PINS}, field="status"
                )
            StatusPin.objects.create(account=viewer, post=post)
    return _render(request, post)


@api_view(scopes="write:accounts", methods=("POST",))
def unpin(request: HttpRequest, status_id: str) -> HttpResponse:
    viewer = request.api_account
    post = access_post(viewer, status_id)
    StatusPin.objects.filter(account=viewer, post=post).delete()
    return _render(request, post)


# --- Who favourited, who reblogged -----------------------------------------------------


def _accounts_page(request: HttpRequest, page: Page, accounts: list[Account]) -> HttpResponse:
    return paginated_json(request, entities.accounts_json(accounts, request), page)


@api_view(scopes="read:statuses", auth="optional")
def favourited_by(request: HttpRequest, status_id: str) -> HttpResponse:
    viewer = request.api_account
    post = access_post(viewer, status_id)
    target = post.reblog_of_id or post.id
    likes = without_blocks(
        viewer,
        Like.objects.filter(post_id=target, account__is_suspended=False).select_related("account"),
        "account",
    )
    page = paginate(likes, page_cursor(request, max_limit=80))
    return _accounts_page(request, page, [like.account for like in page.items])


@api_view(scopes="read:statuses", auth="optional")
def reblogged_by(request: HttpRequest, status_id: str) -> HttpResponse:
    viewer = request.api_account
    post = access_post(viewer, status_id)
    target = post.reblog_of_id or post.id
    reblogs = without_blocks(
        viewer,
        Post.objects.filter(reblog_of_id=target, deleted_at__isnull=True,
                            author__is_suspended=False).select_related("author"),
        "author",
    )
    page = paginate(reblogs, page_cursor(request, max_limit=80))
    return _accounts_page(request, page, [p.author for p in page.items])
