"""Mastodon-compatible instances (Mastodon, Volière, GoToSocial…) through the client API.

Timelines: `public` (federated), `local` (`?local=true`), `hashtag`
(`/api/v1/timelines/tag/:tag`) and `search` (`/api/v2/search?type=statuses`). An access
token, when given, is sent as a bearer token (some instances hide timelines or search from
anonymous callers).

Incremental without gaps: the cursor keeps `min_id`, the newest status id stored. Asking
`?min_id=N` returns the statuses right after N (oldest first, as pages); the connector walks
forward through the `Link: …; rel="prev"` pages — only links to the same instance are
followed, the token never goes elsewhere — up to `MAX_PAGES` per poll, and the next poll
continues where this one stopped. The first poll takes only the latest page (no history
flood). Search results are ranked, not paged by id: one page per poll, keeping statuses
newer than the cursor. `X-RateLimit-Remaining: 0` postpones the next poll to
`X-RateLimit-Reset`; a 429 keeps what earlier pages brought and waits `Retry-After`.

Network "mastodon:<host[:port]>", external id = the instance's status id. Local accounts'
handles are qualified with the instance host (`alice@host`), as remote ones already are.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput
from voliere.listening.links import http_url
from voliere.listening.records import IncomingPost
from voliere.listening.sources.base import (
    Connector,
    FetchResult,
    RateLimited,
    ReplyNotPossible,
    SourceError,
    get,
    html_to_text,
    id_greater,
    parse_time,
    rate_limit_wait,
    read_json,
    require_http_url,
    require_text,
    send,
)

if TYPE_CHECKING:
    from voliere.listening.models import Mention, Source

PAGE_SIZE = 40
MAX_PAGES = 5
TIMELINES = ("public", "local", "hashtag", "search")


def instance_network(instance: str) -> str:
    url = httpx.URL(instance)
    return f"mastodon:{url.host}" + (f":{url.port}" if url.port else "")


class MastodonConnector(Connector):
    kind = "mastodon"
    config_fields = ("instance", "timeline", "hashtag", "query")
    credential_fields = ("access_token",)

    def validate_config(self, config: dict[str, Any], credentials: dict[str, Any]) -> None:
        instance = require_http_url(config, "instance", _("Instance address"))
        config["instance"] = instance.rstrip("/")
        timeline = config.setdefault("timeline", "public")
        if timeline not in TIMELINES:
            raise InvalidInput(_("Choose a timeline among: %(list)s.")
                               % {"list": ", ".join(TIMELINES)}, field="timeline")
        if timeline == "hashtag":
            tag = require_text(config, "hashtag", _("Hashtag"), max_length=100).lstrip("#")
            if not tag or any(not (ch.isalnum() or ch == "_") for ch in tag):
                raise InvalidInput(_("A hashtag is letters, digits and underscores."),
                                   field="hashtag")
            config["hashtag"] = tag
        if timeline == "search":
            require_text(config, "query", _("Search query"), max_length=300)

    def fetch(self, source: Source) -> FetchResult:
        config = source.config
        instance = config["instance"]
        newest = (source.cursor or {}).get("min_id")
        url, params = _endpoint(config)
        headers = _auth(source)
        if config.get("timeline") == "search":
            return self._search(source, url, params, headers, newest)
        first_poll = newest is None
        if newest:
            params["min_id"] = newest
        posts: list[IncomingPost] = []
        for page in range(MAX_PAGES):
            try:
                response = get(url, params=params, headers=headers, what=_("The instance"))
            except RateLimited as limited:
                if not posts:
                    raise
                return FetchResult(posts, _cursor(newest), retry_after=limited.retry_after,
                                   has_more=True)
            statuses = read_json(response)
            if not isinstance(statuses, list):
                raise SourceError(_("The instance did not answer a list of statuses."))
            for status in statuses:
                post = status_post(status, instance)
                posts.append(post)
                if newest is None or id_greater(post.external_id, newest):
                    newest = post.external_id
            wait = rate_limit_wait(response.headers, remaining="x-ratelimit-remaining",
                                   reset="x-ratelimit-reset")
            done = not statuses or first_poll or len(statuses) < PAGE_SIZE
            if wait is not None or done:
                return FetchResult(posts, _cursor(newest), retry_after=wait,
                                   has_more=not done)
            url, params = _forward(response, instance, url, params, newest)
            if page == MAX_PAGES - 1:
                return FetchResult(posts, _cursor(newest), has_more=True)
        return FetchResult(posts, _cursor(newest))

    def _search(self, source: Source, url: str, params: dict[str, Any],
                headers: dict[str, str], newest: str | None) -> FetchResult:
        response = get(url, params=params, headers=headers, what=_("The instance"))
        found = read_json(response)
        statuses = found.get("statuses") if isinstance(found, dict) else None
        if not isinstance(statuses, list):
            raise SourceError(_("The instance did not answer search results."))
        posts = []
        latest = newest
        for status in statuses:
            post = status_post(status, source.config["instance"])
            if newest is None or id_greater(post.external_id, newest):
                posts.append(post)
                if latest is None or id_greater(post.external_id, latest):
                    latest = post.external_id
        wait = rate_limit_wait(response.headers, remaining="x-ratelimit-remaining",
                               reset="x-ratelimit-reset")
        return FetchResult(posts, _cursor(latest), retry_after=wait)

    def reply(self, source: Source, mention: Mention, text: str) -> str:
        """Post `text` as a public reply to `mention` with the source's token; returns the
        new status id. Needs a token with the `write:statuses` scope."""
        token = source.credentials.get("access_token")
        if not token:
            raise ReplyNotPossible(_("This source has no access token to reply with."))
        instance = source.config["instance"]
        if mention.network != instance_network(instance):
            raise ReplyNotPossible(_("This mention does not come from this instance."))
        # Address the author as their instance knows them: local accounts by name only.
        handle = mention.author_handle.removesuffix(f"@{httpx.URL(instance).host}")
        if handle and f"@{handle}" not in text:
            text = f"@{handle} {text}"
        body = httpx.QueryParams({"status": text, "in_reply_to_id": mention.external_id,
                                  "visibility": "public"})
        try:
            response = send("POST", f"{instance}/api/v1/statuses", content=str(body), headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Idempotency-Key": _idempotency_key(mention, text)},
                what=_("The instance"))
        except SourceError as error:
            if " 401" in error.message or " 403" in error.message:
                raise ReplyNotPossible(_("The instance refused the reply: the token may "
                                         "lack the write:statuses scope.")) from error
            raise
        created = read_json(response)
        if not isinstance(created, dict) or not created.get("id"):
            raise SourceError(_("The instance did not return the new status."))
        return str(created["id"])


def _idempotency_key(mention: Mention, text: str) -> str:
    """The same reply to the same mention is posted once even if the request is retried."""
    digest = hashlib.sha256(f"{mention.pk}:{text}".encode()).hexdigest()[:32]
    return f"voliere-reply-{digest}"


def _endpoint(config: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    instance, timeline = config["instance"], config.get("timeline", "public")
    params: dict[str, Any] = {"limit": PAGE_SIZE}
    if timeline == "hashtag":
        return f"{instance}/api/v1/timelines/tag/{quote(config['hashtag'], safe='')}", params
    if timeline == "search":
        params.update(q=config["query"], type="statuses", resolve="false")
        return f"{instance}/api/v2/search", params
    if timeline == "local":
        params["local"] = "true"
    return f"{instance}/api/v1/timelines/public", params


def _auth(source: Source) -> dict[str, str]:
    token = source.credentials.get("access_token")
    return {"Authorization": f"Bearer {token}"} if token else {}


def _cursor(newest: str | None) -> dict[str, Any]:
    return {"min_id": newest} if newest else {}


def _forward(response: httpx.Response, instance: str, url: str, params: dict[str, Any],
             newest: str | None) -> tuple[str, dict[str, Any] | None]:
    """The next page forward in time: the `prev` link if it stays on the instance, else
    the same request with `min_id` = the newest id seen."""
    link = response.links.get("prev", {}).get("url")
    if link:
        target, home = httpx.URL(link), httpx.URL(instance)
        if (target.scheme, target.host, target.port) == (home.scheme, home.host, home.port):
            return link, None
    return url, {**params, "min_id": newest}


def status_post(status: dict[str, Any], instance: str) -> IncomingPost:
    """One Mastodon status entity as an `IncomingPost` (a reblog counts as its original)."""
    original = status.get("reblog") or status
    try:
        account = original.get("account") or {}
        host = httpx.URL(instance).host
        acct = account.get("acct") or account.get("username") or ""
        text = html_to_text(original.get("content") or "")
        if original.get("spoiler_text"):
            text = f"{original['spoiler_text']}\n{text}"
        return IncomingPost(
            network=instance_network(instance), external_id=str(original["id"]),
            text=text, published_at=parse_time(original.get("created_at")) or timezone.now(),
            url=http_url(original.get("url")) or http_url(original.get("uri")),
            author_handle=acct if "@" in acct else f"{acct}@{host}",
            author_name=(account.get("display_name") or "")[:255],
            author_followers=int(account.get("followers_count") or 0),
            author_url=http_url(account.get("url")),
            lang=(original.get("language") or "")[:8],
            is_reply=original.get("in_reply_to_id") is not None,
            hashtags=tuple(t["name"].lower() for t in original.get("tags") or []
                           if t.get("name")),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise SourceError(_("The instance sent a status that cannot be read: %(error)s")
                          % {"error": error}) from error
