"""Bluesky through the AT Protocol AppView: `app.bsky.feed.searchPosts` (sort=latest).

The public AppView (`https://public.api.bsky.app`) needs no account; the address is
configurable (another AppView, a test server on loopback). Results come newest first,
paged backwards by an opaque `cursor`, restricted to posts at or after `since`. As for X,
the source cursor keeps an unfinished round (`since`, `page`, `pending_since`) so a page
cap or a rate limit never skips posts; a finished round moves `since` to the newest post's
sort time minus `SINCE_MARGIN` (the AppView sorts by an indexing time that may trail
`createdAt` a little; the overlap only brings duplicates, which the ingestion drops). The
first poll reads one page.

Network "bluesky", external id = the post's at:// URI. Replies are not supported (they
would need an account's app password): `reply` raises `ReplyNotPossible`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.listening.records import IncomingPost
from voliere.listening.sources.base import (
    Connector,
    FetchResult,
    RateLimited,
    SourceError,
    get,
    parse_time,
    rate_limit_wait,
    read_json,
    require_http_url,
    require_text,
)

if TYPE_CHECKING:
    from voliere.listening.models import Source

DEFAULT_BASE_URL = "https://public.api.bsky.app"
PAGE_SIZE = 100
MAX_PAGES = 5
SINCE_MARGIN = timedelta(minutes=2)
NETWORK = "bluesky"


class BlueskyConnector(Connector):
    kind = "bluesky"
    config_fields = ("query", "lang", "base_url")

    def validate_config(self, config: dict[str, Any], credentials: dict[str, Any]) -> None:
        require_text(config, "query", _("Search query"), max_length=300)
        if config.get("base_url"):
            config["base_url"] = require_http_url(config, "base_url", _("AppView address")
                                                  ).rstrip("/")
        lang = str(config.get("lang") or "").strip().lower()
        if lang and not (len(lang) == 2 and lang.isalpha()):
            from voliere.core.exceptions import InvalidInput

            raise InvalidInput(_("A language is a two-letter code such as fr or en."),
                               field="lang")

    def fetch(self, source: Source) -> FetchResult:
        cursor = dict(source.cursor or {})
        since, page, newest = cursor.get("since"), cursor.get("page"), cursor.get("pending_since")
        base = (source.config.get("base_url") or DEFAULT_BASE_URL).rstrip("/")
        url = f"{base}/xrpc/app.bsky.feed.searchPosts"
        posts: list[IncomingPost] = []
        for _round in range(MAX_PAGES):
            params = {"q": source.config["query"], "sort": "latest", "limit": PAGE_SIZE,
                      "since": since, "cursor": page, "lang": source.config.get("lang") or None}
            try:
                response = get(url, params=params, what=_("The Bluesky AppView"))
            except RateLimited as limited:
                if not posts:
                    raise
                return FetchResult(posts, _unfinished(since, page, newest),
                                   retry_after=limited.retry_after, has_more=True)
            body = read_json(response)
            if not isinstance(body, dict) or not isinstance(body.get("posts"), list):
                raise SourceError(_("The Bluesky AppView did not answer search results."))
            for view in body["posts"]:
                post, sort_time = post_view(view)
                posts.append(post)
                if newest is None or sort_time > newest:
                    newest = sort_time
            page = body.get("cursor") if body["posts"] else None
            wait = rate_limit_wait(response.headers, remaining="ratelimit-remaining",
                                   reset="ratelimit-reset")
            if not page or since is None:
                return FetchResult(posts, _finished(newest or since), retry_after=wait)
            if wait is not None:
                return FetchResult(posts, _unfinished(since, page, newest), retry_after=wait,
                                   has_more=True)
        return FetchResult(posts, _unfinished(since, page, newest), has_more=True)


def _finished(newest: str | None) -> dict[str, Any]:
    if not newest:
        return {}
    moment = parse_time(newest)
    return {"since": _iso(moment - SINCE_MARGIN) if moment else newest}


def _unfinished(since: str | None, page: str | None, newest: str | None) -> dict[str, Any]:
    return {"since": since, "page": page, "pending_since": newest}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def post_view(view: Any) -> tuple[IncomingPost, str]:
    """A `PostView` as an `IncomingPost`, with its sort time (ISO, UTC) for the cursor."""
    try:
        record, author = view.get("record") or {}, view.get("author") or {}
        uri = str(view["uri"])
        created = parse_time(record.get("createdAt"))
        indexed = parse_time(view.get("indexedAt"))
        moments = [m for m in (created, indexed) if m is not None]
        published = min(moments) if moments else timezone.now()
        handle = str(author.get("handle") or author.get("did") or "")
        tags = tuple(feature["tag"].lower() for facet in record.get("facets") or []
                     for feature in facet.get("features") or []
                     if feature.get("$type") == "app.bsky.richtext.facet#tag"
                     and feature.get("tag"))
        langs = record.get("langs") or []
        post = IncomingPost(
            network=NETWORK, external_id=uri, text=str(record.get("text") or ""),
            published_at=created or published,
            url=f"https://bsky.app/profile/{handle}/post/{uri.rsplit('/', 1)[-1]}"[:500],
            author_handle=handle[:255], author_name=str(author.get("displayName") or "")[:255],
            author_url=f"https://bsky.app/profile/{handle}"[:500] if handle else "",
            lang=str(langs[0])[:2].lower() if langs else "",
            is_reply=bool(record.get("reply")), hashtags=tags,
        )
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise SourceError(_("The AppView sent a post that cannot be read: %(error)s")
                          % {"error": error}) from error
    return post, _iso(published)
