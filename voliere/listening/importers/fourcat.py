"""NDJSON exported by 4CAT: one mapped item per line, with 4CAT's own field names, the
same for every data source (Twitter, Telegram, Reddit, TikTok, …):

`id`, `thread_id` (the item is a reply when it differs from `id`), `body`, `author`,
`author_fullname`, `timestamp` ("YYYY-MM-DD HH:MM:SS", UTC) or `unix_timestamp`, `url`,
`hashtags` (comma-separated or a list), `lang`, `author_followers`, and for the network
`datasource` (or `platform`): Twitter items use the "x" network so they dedup against
tweets from any other importer or connector; other sources get "4cat:<datasource>";
without either, the `--network` option, else "4cat". Streamed line by line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from voliere.listening.importers.base import Parsed, ReaderOptions, json_records, parsed
from voliere.listening.importers.fields import (
    check_utf8,
    parse_date,
    required,
    text_of,
)
from voliere.listening.links import http_url
from voliere.listening.records import IncomingPost, RecordRejected

_TWITTER = {"twitter", "twitterv2", "twitter-import", "x"}


def read(binary: IO[bytes], options: ReaderOptions) -> Iterator[Parsed]:
    return json_records(binary, lambda label, value: iter(
        [parsed(label, lambda: _post(value, options.network))]))


def _network(item: dict[str, Any], default: str) -> str:
    datasource = str(item.get("datasource") or item.get("platform") or "").lower()
    if datasource in _TWITTER:
        return "x"
    if datasource:
        return f"4cat:{datasource}"[:80]
    return default or "4cat"


def _post(item: Any, network: str) -> IncomingPost:
    if not isinstance(item, dict):
        raise RecordRejected("not a JSON object")
    item_id = text_of(required(item, "id"), "id")
    text = text_of(required(item, "body"), "body")
    check_utf8(text)
    when = item.get("timestamp") or item.get("unix_timestamp")
    if when in (None, ""):
        raise RecordRejected('missing "timestamp"')
    hashtags = item.get("hashtags") or ()
    if isinstance(hashtags, str):
        hashtags = [tag.strip() for tag in hashtags.split(",")]
    author = str(item.get("author") or "")
    return IncomingPost(
        network=_network(item, network), external_id=item_id, text=text,
        published_at=parse_date(when, "timestamp"), url=http_url(item.get("url")),
        author_handle=author, author_name=str(item.get("author_fullname") or ""),
        author_followers=_count(item.get("author_followers")),
        lang=str(item.get("lang") or "")[:8] if item.get("lang") != "und" else "",
        is_reply=bool(item.get("thread_id")) and str(item.get("thread_id")) != item_id,
        hashtags=tuple(str(tag).lower().lstrip("#") for tag in hashtags if str(tag).strip()),
    )


def _count(value: Any) -> int:
    try:
        return max(0, int(value or 0))
    except (TypeError, ValueError):
        raise RecordRejected(f'bad "author_followers": {value!r}') from None
