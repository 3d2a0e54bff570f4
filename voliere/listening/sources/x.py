"""X (Twitter) API v2 recent search: `GET /2/tweets/search/recent` with an app bearer token.

Incremental without gaps: results come newest first, paged backwards by `next_token`, all
newer than `since_id`. The cursor therefore keeps, while a pagination is unfinished,
`since_id` (where this round started), `next_token` (the next page) and `pending_newest`
(the newest id of this round); when the last page is read, `since_id` becomes
`pending_newest`. A page cap, a spent quota (`x-rate-limit-remaining: 0`, wait until
`x-rate-limit-reset`, epoch seconds) or a 429 (`Retry-After`) stop the round with the
cursor pointing at the next page, so nothing between two polls is skipped. The first poll
reads one page only (the last 7 days would be a flood).

Tweets are read by the twarc2 importer's parser (the same API v2 format), so a polled tweet
and an imported one are the same `IncomingPost` (network "x", the tweet id) and dedup.
Replies (`POST /2/tweets`) need a user-context token (`user_token`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput
from voliere.listening.importers.twarc2 import tweet_post
from voliere.listening.records import IncomingPost, RecordRejected
from voliere.listening.sources.base import (
    Connector,
    FetchResult,
    RateLimited,
    ReplyNotPossible,
    SourceError,
    get,
    id_greater,
    rate_limit_wait,
    read_json,
    require_http_url,
    require_text,
    send,
)

if TYPE_CHECKING:
    from voliere.listening.models import Mention, Source

DEFAULT_BASE_URL = "https://api.x.com"
PAGE_SIZE = 100
MAX_PAGES = 5
FIELDS = {
    "expansions": "author_id",
    "user.fields": "username,name,public_metrics",
    "tweet.fields": "created_at,lang,public_metrics,entities,in_reply_to_user_id,"
                    "referenced_tweets",
}


class XConnector(Connector):
    kind = "x"
    config_fields = ("query", "base_url")
    credential_fields = ("bearer_token", "user_token")

    def validate_config(self, config: dict[str, Any], credentials: dict[str, Any]) -> None:
        require_text(config, "query", _("Search query"), max_length=512)
        if config.get("base_url"):
            config["base_url"] = require_http_url(config, "base_url", _("API address")
                                                  ).rstrip("/")
        if not str(credentials.get("bearer_token") or "").strip():
            raise InvalidInput(_("The X API needs a bearer token."), field="bearer_token")

    def fetch(self, source: Source) -> FetchResult:
        cursor = dict(source.cursor or {})
        since_id = cursor.get("since_id")
        next_token = cursor.get("next_token")
        newest = cursor.get("pending_newest")
        url = f"{_base(source)}/2/tweets/search/recent"
        headers = {"Authorization": f"Bearer {source.credentials['bearer_token']}"}
        posts: list[IncomingPost] = []
        notes: list[str] = []
        for _page in range(MAX_PAGES):
            params = {"query": source.config["query"], "max_results": PAGE_SIZE,
                      "since_id": since_id, "next_token": next_token, **FIELDS}
            try:
                response = get(url, params=params, headers=headers, what=_("The X API"))
            except RateLimited as limited:
                if not posts:
                    raise
                return FetchResult(posts, _unfinished(since_id, next_token, newest),
                                   retry_after=limited.retry_after, has_more=True, notes=notes)
            body = read_json(response)
            if not isinstance(body, dict) or ("data" not in body and "meta" not in body):
                detail = (body.get("errors") or [{}])[0] if isinstance(body, dict) else {}
                raise SourceError(_("The X API answered an error: %(detail)s") % {
                    "detail": detail.get("detail") or detail.get("message") or body})
            users = {str(u.get("id")): u for u in (body.get("includes") or {}).get("users") or []
                     if isinstance(u, dict)}
            for tweet in body.get("data") or []:
                try:
                    post = tweet_post(tweet, users)
                except RecordRejected as error:
                    notes.append(str(error))
                    continue
                posts.append(post)
                if newest is None or id_greater(post.external_id, newest):
                    newest = post.external_id
            next_token = (body.get("meta") or {}).get("next_token")
            wait = rate_limit_wait(response.headers, remaining="x-rate-limit-remaining",
                                   reset="x-rate-limit-reset")
            if not next_token or since_id is None:
                finished = {"since_id": newest or since_id} if (newest or since_id) else {}
                return FetchResult(posts, finished, retry_after=wait, notes=notes)
            if wait is not None:
                return FetchResult(posts, _unfinished(since_id, next_token, newest),
                                   retry_after=wait, has_more=True, notes=notes)
        return FetchResult(posts, _unfinished(since_id, next_token, newest), has_more=True,
                           notes=notes)

    def reply(self, source: Source, mention: Mention, text: str) -> str:
        """Post `text` in reply to the tweet of `mention`; returns the new tweet id."""
        token = source.credentials.get("user_token")
        if not token:
            raise ReplyNotPossible(_("Replying on X needs a user-context token on this "
                                     "source."))
        if mention.network != "x":
            raise ReplyNotPossible(_("This mention is not a tweet."))
        import json

        response = send("POST", f"{_base(source)}/2/tweets", headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            content=json.dumps({"text": text,
                                "reply": {"in_reply_to_tweet_id": mention.external_id}}),
            what=_("The X API"))
        created = read_json(response)
        new_id = (created.get("data") or {}).get("id") if isinstance(created, dict) else None
        if not new_id:
            raise SourceError(_("The X API did not return the new tweet."))
        return str(new_id)


def _base(source: Source) -> str:
    return (source.config.get("base_url") or DEFAULT_BASE_URL).rstrip("/")


def _unfinished(since_id: str | None, next_token: str | None,
                newest: str | None) -> dict[str, Any]:
    return {"since_id": since_id, "next_token": next_token, "pending_newest": newest}
