"""JSONL written by twarc2 (X API v2), in both shapes it produces:

- `twarc2 search …` / `timeline …`: one API response page per line, `{"data": [tweets],
  "includes": {"users": […]}, "meta": {…}}`; authors are looked up in the page's
  `includes.users` by `author_id`;
- `twarc2 flatten`: one tweet per line with its author expanded under `"author"`.

Tweet fields used: `id`, `text`, `created_at` (ISO 8601), `author_id`, `lang`,
`in_reply_to_user_id`, `entities.hashtags[].tag`; user fields: `username`, `name`,
`public_metrics.followers_count`. Streamed line by line (files of several GB are common).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import IO, Any

from voliere.listening.importers.base import Parsed, ReaderOptions, json_records, parsed
from voliere.listening.importers.fields import (
    check_utf8,
    hashtag_texts,
    parse_date,
    required,
    text_of,
)
from voliere.listening.records import IncomingPost, RecordRejected

NETWORK = "x"


def read(binary: IO[bytes], options: ReaderOptions) -> Iterator[Parsed]:
    return json_records(binary, _records)


def _records(label: str, value: Any) -> Iterator[Parsed]:
    """A line's records: a response page's tweets, or one flattened tweet."""
    if not isinstance(value, dict):
        yield Parsed(label, error="not a JSON object")
    elif "data" in value and isinstance(value["data"], list):
        users = {str(user.get("id")): user
                 for user in (value.get("includes") or {}).get("users") or []
                 if isinstance(user, dict)}
        for index, tweet in enumerate(value["data"], start=1):
            yield parsed(f"{label}, tweet {index}",
                         lambda tweet=tweet: tweet_post(tweet, users))
    elif "id" in value and ("text" in value or "created_at" in value):
        yield parsed(label, lambda value=value: tweet_post(value, {}))
    elif "errors" in value:
        yield Parsed(label, error='an API error response (no "data")')
    else:
        yield Parsed(label, error='neither a response page ("data") nor a tweet ("id")')


def tweet_post(tweet: Any, users: Mapping[str, Mapping[str, Any]]) -> IncomingPost:
    """One X API v2 tweet object as an `IncomingPost` (network "x", the tweet id), its
    author read from `tweet["author"]` (twarc2's flattened form) or from `users`, the
    response page's `includes.users` by id. Shared by this importer and the X connector
    (`sources/x.py`), so a polled tweet and an imported one are the same record and dedup.
    Raises `RecordRejected` naming the field at fault."""
    if not isinstance(tweet, dict):
        raise RecordRejected("the tweet is not a JSON object")
    tweet_id = text_of(required(tweet, "id"), "id")
    if not tweet_id.isdigit():
        raise RecordRejected(f'bad "id": {tweet_id!r}')
    text = text_of(required(tweet, "text"), "text")
    check_utf8(text)
    author = tweet.get("author")
    if not isinstance(author, dict):
        author = users.get(str(tweet.get("author_id")), {})
    handle = str(author.get("username") or "")
    metrics = author.get("public_metrics") if isinstance(author.get("public_metrics"), dict) \
        else {}
    return IncomingPost(
        network=NETWORK, external_id=tweet_id, text=text,
        published_at=parse_date(required(tweet, "created_at"), "created_at"),
        url=f"https://x.com/{handle or 'i/web'}/status/{tweet_id}",
        author_handle=handle, author_name=str(author.get("name") or ""),
        author_followers=int(metrics.get("followers_count") or 0),
        author_url=f"https://x.com/{handle}" if handle else "",
        lang="" if tweet.get("lang") in (None, "und", "qme", "zxx") else str(tweet["lang"])[:8],
        is_reply=bool(tweet.get("in_reply_to_user_id")) or any(
            isinstance(ref, dict) and ref.get("type") == "replied_to"
            for ref in tweet.get("referenced_tweets") or []),
        hashtags=hashtag_texts((tweet.get("entities") or {}).get("hashtags") or [], "tag"),
    )
