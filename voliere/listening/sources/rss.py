"""RSS and Atom feeds: fetched with `safe_request`, parsed by feedparser from the bytes.

Conditional GET: the cursor keeps the feed's `ETag` and `Last-Modified`, so an unchanged
feed costs a 304 and nothing else. A feed always lists its latest entries, old and new:
entries already stored come back as duplicates of the ingestion, never twice as mentions.
Network "rss:<first 12 hex of sha1(feed url)>", external id = the entry's id, else its link.
"""

from __future__ import annotations

import calendar
import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import feedparser
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.listening.links import http_url
from voliere.listening.records import IncomingPost
from voliere.listening.sources.base import (
    Connector,
    FetchResult,
    SourceError,
    get,
    html_to_text,
    require_http_url,
)

if TYPE_CHECKING:
    from voliere.listening.models import Source

MAX_ENTRIES = 200


def feed_network(url: str) -> str:
    return "rss:" + hashlib.sha1(url.encode(), usedforsecurity=False).hexdigest()[:12]


class RssConnector(Connector):
    kind = "rss"
    config_fields = ("url",)

    def validate_config(self, config: dict[str, Any], credentials: dict[str, Any]) -> None:
        require_http_url(config, "url", _("Feed address"))

    def fetch(self, source: Source) -> FetchResult:
        url = source.config["url"]
        cursor = dict(source.cursor or {})
        headers = {"Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9,"
                             " */*;q=0.5"}
        if cursor.get("etag"):
            headers["If-None-Match"] = cursor["etag"]
        if cursor.get("modified"):
            headers["If-Modified-Since"] = cursor["modified"]
        response = get(url, headers=headers, what=_("The feed"))
        if response.status_code == 304:
            return FetchResult(posts=[], cursor=cursor)
        parsed = feedparser.parse(response.content)
        if not parsed.entries and parsed.get("bozo") and not parsed.feed.get("title"):
            raise SourceError(_("This address is not an RSS or Atom feed (%(error)s).")
                              % {"error": parsed.get("bozo_exception") or "?"})
        network = feed_network(url)
        posts = [post for entry in parsed.entries[:MAX_ENTRIES]
                 if (post := entry_post(entry, network)) is not None]
        new_cursor = {k: v for k, v in (("etag", response.headers.get("etag")),
                                        ("modified", response.headers.get("last-modified")))
                      if v}
        return FetchResult(posts=posts, cursor=new_cursor)


def entry_post(entry: Any, network: str) -> IncomingPost | None:
    """One feed entry as an `IncomingPost` (None when it has neither id nor link)."""
    external_id = (entry.get("id") or entry.get("link") or "").strip()
    if not external_id:
        return None
    title = html_to_text(entry.get("title", ""))
    summary = html_to_text(entry.get("summary", ""))
    # Many feeds (micro-blogs) repeat the summary as the title: keep the text once.
    text = summary if title and summary.startswith(title) else "\n".join(
        part for part in (title, summary) if part)
    return IncomingPost(
        network=network, external_id=external_id[:255], text=text or external_id,
        published_at=_entry_time(entry), url=http_url(entry.get("link")),
        author_name=(entry.get("author") or "")[:255],
        hashtags=tuple(t.get("term", "").lstrip("#").lower() for t in entry.get("tags", [])
                       if t.get("term") and " " not in t.get("term")),
        lang=(entry.get("language") or "")[:2],
    )


def _entry_time(entry: Any) -> datetime:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return timezone.now()
