"""The connector interface every external source implements, and what connectors share.

A connector turns one `Source` (its `config`, `credentials` and `cursor`) into
`IncomingPost`s. It never writes to the database: `polling.poll_source` hands the posts and
the new cursor to the ingestion, which stores both in one transaction, so a cursor never
moves past posts that are not stored.

Errors a connector raises:
- `InvalidInput(field=…)` from `validate_config` (shown next to the form field);
- `SourceError` for a failed poll (HTTP 5xx, unreadable answer, network failure): the
  poller backs off and retries;
- `RateLimited(retry_after)` when the remote says "not now" (HTTP 429): not a failure, the
  next poll is pushed back. A connector that already has posts from earlier pages returns
  them instead, with `FetchResult.retry_after` set.
"""

from __future__ import annotations

import email.utils
import html
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import httpx
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput, VoliereError
from voliere.listening.records import IncomingPost
from voliere.listening.sources.fetch import FetchFailed, FetchRefused, safe_request

if TYPE_CHECKING:
    from voliere.listening.models import Mention, Source


class SourceError(VoliereError):
    """A poll failed; the message is shown to the source's managers as `last_error`."""

    status = 502


class RateLimited(SourceError):  # noqa: N818 — reads as the outcome it is
    """The remote asked to wait `retry_after` seconds."""

    def __init__(self, retry_after: float, message: str = "") -> None:
        super().__init__(message or _("Rate limited: retry in %(seconds)d s.")
                         % {"seconds": retry_after})
        self.retry_after = retry_after


class ReplyNotPossible(VoliereError):  # noqa: N818 — reads as the outcome it is
    """The source cannot post a reply (no credentials with write access, or no reply API)."""


@dataclass
class FetchResult:
    """`cursor` is the complete new cursor (saved with the posts); `retry_after` (seconds)
    asks the poller not to come back sooner; `has_more` says a page cap stopped the poll
    before the end, so the next poll may come early."""

    posts: list[IncomingPost]
    cursor: dict[str, Any]
    retry_after: float | None = None
    has_more: bool = False
    notes: list[str] = field(default_factory=list)


class Connector(ABC):
    """Base class: subclasses set `kind` and implement `validate_config` and `fetch`."""

    kind: ClassVar[str] = ""
    # Names of `config` keys and `credentials` keys the source form offers, in order.
    config_fields: ClassVar[tuple[str, ...]] = ()
    credential_fields: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def validate_config(self, config: dict[str, Any], credentials: dict[str, Any]) -> None:
        """Raise InvalidInput (with the field) if the source's settings cannot work."""

    @abstractmethod
    def fetch(self, source: Source) -> FetchResult:
        """The posts after `source.cursor` and the cursor that follows them."""

    def reply(self, source: Source, mention: Mention, text: str) -> str:
        raise ReplyNotPossible(_("Replies cannot be posted through this kind of source."))


def get(url: str, *, params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None, what: str = "") -> httpx.Response:
    """GET through `safe_request`; network failures and refusals become `SourceError`,
    429 becomes `RateLimited`, other 4xx/5xx a `SourceError` naming the status."""
    kept = {k: v for k, v in (params or {}).items() if v is not None}
    target = httpx.URL(url).copy_merge_params(kept) if kept else httpx.URL(url)
    return send("GET", str(target), headers=headers, what=what)


def send(method: str, url: str, *, headers: dict[str, str] | None = None,
         content: bytes | str | None = None, what: str = "") -> httpx.Response:
    try:
        response = safe_request(method, url, headers=headers, content=content)
    except (FetchFailed, FetchRefused) as error:
        raise SourceError(error.message) from error
    if response.status_code == 429:
        raise RateLimited(retry_after_seconds(response.headers) or 60.0)
    if response.status_code >= 400:
        raise SourceError(_("%(what)s answered HTTP %(status)d: %(body)s") % {
            "what": what or response.request.url.host, "status": response.status_code,
            "body": response.text[:200]})
    return response


def read_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as error:
        raise SourceError(_("%(host)s did not answer JSON.")
                          % {"host": response.request.url.host}) from error


def retry_after_seconds(headers: httpx.Headers) -> float | None:
    """`Retry-After` as seconds from now (it is either seconds or an HTTP date)."""
    raw = headers.get("retry-after", "").strip()
    if not raw:
        return None
    if raw.isdigit():
        return float(raw)
    try:
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - timezone.now()).total_seconds())


def rate_limit_wait(headers: httpx.Headers, *, remaining: str, reset: str) -> float | None:
    """Seconds to wait when the `remaining` header says the quota is spent (0), until the
    `reset` header's moment (epoch seconds, as X sends, or an ISO date, as Mastodon
    sends); None while quota remains or when the headers are absent."""
    left = headers.get(remaining, "").strip()
    if not left.lstrip("-").isdigit() or int(left) > 0:
        return None
    value = headers.get(reset, "").strip()
    if value.isdigit():
        moment = datetime.fromtimestamp(int(value), tz=UTC)
    else:
        moment = parse_time(value)
        if moment is None:
            return 60.0
    return max(1.0, (moment - timezone.now()).total_seconds())


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 time ("Z" accepted) as an aware datetime, or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_BLOCK_TAGS = re.compile(r"<\s*(br|/p|/div|/li|/h\d|/blockquote)\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"[ \t\r\f\v]+")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: scripts and styles dropped, line breaks kept for
    block ends, entities decoded. The result is stored as text and escaped when shown, so
    nothing of the markup can ever run."""
    text = _SCRIPTS.sub("", markup or "")
    text = _BLOCK_TAGS.sub("\n", text)
    text = html.unescape(_TAGS.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def require_text(config: dict[str, Any], name: str, label: str, *,
                 max_length: int = 500) -> str:
    value = str(config.get(name) or "").strip()
    if not value:
        raise InvalidInput(_("%(label)s is required.") % {"label": label}, field=name)
    if len(value) > max_length:
        raise InvalidInput(_("%(label)s is longer than %(n)d characters.")
                           % {"label": label, "n": max_length}, field=name)
    config[name] = value
    return value


def require_http_url(config: dict[str, Any], name: str, label: str) -> str:
    value = require_text(config, name, label)
    try:
        url = httpx.URL(value)
    except httpx.InvalidURL:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise InvalidInput(_("%(label)s must be an http:// or https:// address.")
                           % {"label": label}, field=name)
    return value


def id_greater(a: str, b: str) -> bool:
    """Numeric string ids (Mastodon, X): longer is larger, then lexical order."""
    return (len(a), a) > (len(b), b)
