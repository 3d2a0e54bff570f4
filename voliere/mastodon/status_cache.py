"""Status entities as ready-encoded JSON text, for the busiest reads (the home timeline).

`entities.statuses_json` builds dicts that the view then encodes: for a page of 40
statuses that is most of a request's time. Here the parts that do not depend on the
viewer are kept per process as JSON text, and a page is assembled by joining strings:

- a status's own part (content, mentions, tags, media, visibility...), keyed by
  `(post id, edited_at)`: an edit changes the key, so an edited post is never served
  with its old text (built by `entities._statics`, the same code as the dict path);
- an account, keyed by every column it shows plus the day of its latest post (a new
  profile, a new follower or a new post changes the key);
- counters (replies, reposts, likes) are never cached: they come from the page's own
  query at every request and are spliced in;
- the viewer's flags (favourited, reblogged, bookmarked; pinned and application on their
  own posts) and polls come from the same batch queries as `statuses_json`.

Whether a post is shown at all is decided before, by `visible_to` in the page's query
(`timeline_queries.home_rows`), at every request: the cache holds text, never permission.
A deleted post, a block or a suspension removes it from the next page at once.

`render_rows(rows, viewer, request)` takes rows of `HOME_COLUMNS` (raw driver values) and
returns the JSON array; `json.loads` of it equals `statuses_json` of the same posts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix

from voliere.accounts.models import Account
from voliere.mastodon import entities
from voliere.mastodon.plumbing import _Encoder, iso
from voliere.posts.cards import BoundedCache
from voliere.posts.models import Post

# Every column an account entity shows (entities._account_key, in the same order).
ACCOUNT_FIELDS = (
    "id", "handle", "display_name", "bio", "avatar", "header", "kind", "created_at",
    "posts_count", "followers_count", "following_count", "links", "is_suspended",
)
_VERSION = ("edited_at", "replies_count", "reblogs_count", "likes_count")
HOME_COLUMNS = (
    "id", "reblog_of_id", "created_at",
    *_VERSION,
    *(f"reblog_of__{name}" for name in _VERSION),
    *(f"author__{name}" for name in ACCOUNT_FIELDS),
    *(f"reblog_of__author__{name}" for name in ACCOUNT_FIELDS),
)
_OWN, _ORIGINAL = slice(3, 7), slice(7, 11)
_N = len(ACCOUNT_FIELDS)
_AUTHOR, _ORIGINAL_AUTHOR = slice(11, 11 + _N), slice(11 + _N, 11 + 2 * _N)
_POSTS_COUNT = ACCOUNT_FIELDS.index("posts_count")

# ≈ 1 KiB per status or account: ≈ 70 MiB per process at most, enough for the first
# pages of 1,000 active people (26,000 statuses, 15,000 authors in bench/api.py).
STATUS_TEXT = BoundedCache(50000)
ACCOUNT_TEXT = BoundedCache(20000)


def encode(value: Any) -> str:
    """JSON as the API writes it (compact, UTF-8, Mastodon's datetimes)."""
    return json.dumps(value, cls=_Encoder, ensure_ascii=False, separators=(",", ":"))


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _as_datetime(raw: Any) -> datetime:
    """A driver's datetime: SQLite gives text (UTC, naive), PostgreSQL a datetime."""
    return datetime.fromisoformat(raw) if isinstance(raw, str) else raw


@dataclass(frozen=True, slots=True)
class _Static:
    text: str  # the status's own fields, encoded, without the braces
    has_poll: bool
    pinnable: bool
    visibility: str
    language: str


class _StoredFile:
    """What `_build_account` reads of an avatar or header: truthiness and `url`."""

    def __init__(self, field_name: str, name: str | None) -> None:
        self._field = Account._meta.get_field(field_name)
        self.name = name or ""

    def __bool__(self) -> bool:
        return bool(self.name)

    @property
    def url(self) -> str:
        return self._field.storage.url(self.name)


class _RawAccount:
    """An account row from a raw query, shaped as `entities._build_account` reads it."""

    def __init__(self, raw: Sequence[Any]) -> None:
        values = dict(zip(ACCOUNT_FIELDS, raw, strict=True))
        self.id = values["id"]
        self.handle = values["handle"]
        self.display_name = values["display_name"]
        self.bio = values["bio"]
        self.avatar = _StoredFile("avatar", values["avatar"])
        self.header = _StoredFile("header", values["header"])
        self.kind = values["kind"]
        self.created_at = _as_datetime(values["created_at"])
        self.posts_count = values["posts_count"]
        self.followers_count = values["followers_count"]
        self.following_count = values["following_count"]
        links = values["links"]
        self.links = json.loads(links) if isinstance(links, str) else links
        self.is_suspended = bool(values["is_suspended"])


class _PostRef:
    """What `polls_json` reads of a post."""

    __slots__ = ("author_id", "id")

    def __init__(self, pk: int, author_id: int) -> None:
        self.id = pk
        self.author_id = author_id


def _statics(keys: dict[int, tuple], request: HttpRequest) -> dict[int, _Static]:
    """Each shown post's own part, from the cache or built (one batch) for the misses."""
    found: dict[int, _Static] = {}
    missing: list[int] = []
    for pk, key in keys.items():
        hit = STATUS_TEXT.get(key)
        if hit is None:
            missing.append(pk)
        else:
            found[pk] = hit
    if missing:
        # Already checked by `visible_to` in the page's query; loaded here for the text only.
        posts = list(Post.objects.filter(pk__in=missing))
        built = entities._statics(posts, request)
        for post in posts:
            data = dict(built[post.id])
            has_poll = data.pop("has_poll")
            static = _Static(
                text=encode(data)[1:-1],
                has_poll=has_poll,
                pinnable=post.visibility in entities.PINNABLE,
                visibility=encode(data["visibility"]),
                language=encode(data["language"]),
            )
            # Keyed by the page's edited_at: an edit in between only makes this newer.
            STATUS_TEXT.put(keys[post.id], static)
            found[post.id] = static
    return found


def _accounts(raws: dict[int, tuple], base: str, prefix: str) -> dict[int, str]:
    days = entities.last_status_days([(pk, raw[_POSTS_COUNT]) for pk, raw in raws.items()])
    result = {}
    for pk, raw in raws.items():
        key = (base, prefix, raw, days[pk])
        text = ACCOUNT_TEXT.get(key)
        if text is None:
            # Built from the very row of the key, so the text always matches its key.
            text = encode(entities._build_account(_RawAccount(raw), base, days[pk]))
            ACCOUNT_TEXT.put(key, text)
        result[pk] = text
    return result


def render_rows(rows: Sequence[tuple], viewer: Account, request: HttpRequest) -> str:
    """The JSON array of Status entities for `HOME_COLUMNS` rows the viewer may see."""
    if not rows:
        return "[]"
    base = entities.base_url(request)
    prefix = get_script_prefix()
    # (row, shown post id, its version columns, its author's columns)
    shown = [
        (row, row[1], row[_ORIGINAL], row[_ORIGINAL_AUTHOR]) if row[1]
        else (row, row[0], row[_OWN], row[_AUTHOR])
        for row in rows
    ]
    statics = _statics({pk: (base, prefix, pk, version[0]) for _, pk, version, _ in shown},
                       request)
    raws = {raw[0]: raw for _, _, _, raw in shown}
    raws.update((row[11], row[_AUTHOR]) for row in rows)
    accounts = _accounts(raws, base, prefix)
    shown = [item for item in shown if item[1] in statics]  # deleted since the check
    shown_ids = {pk for _, pk, _, _ in shown}
    liked, bookmarked, reposted = entities._viewer_flags(viewer, shown_ids)
    own = [pk for _, pk, _, author in shown if author[0] == viewer.id and statics[pk].pinnable]
    pinned, apps = entities._own_extras(viewer, own)
    polls = _polls(shown, statics, viewer)

    parts = ["["]
    for index, (row, pk, version, author) in enumerate(shown):
        static = statics[pk]
        counters = (f',"replies_count":{version[1]},"reblogs_count":{version[2]}'
                    f',"favourites_count":{version[3]}')
        flags = (f',"favourited":{_flag(pk in liked)},"reblogged":{_flag(pk in reposted)}'
                 f',"bookmarked":{_flag(pk in bookmarked)},"muted":false,"filtered":[]')
        own_part = ""
        if author[0] == viewer.id and static.pinnable:
            own_part = f',"pinned":{_flag(pk in pinned)},"application":{encode(apps.get(pk))}'
        inner = (
            f'{{{static.text},"account":{accounts[author[0]]}{counters}'
            f',"reblog":null,"emojis":[],"card":null,"poll":{polls.get(pk, "null")}'
            f"{flags}{own_part}}}"
        )
        if index:
            parts.append(",")
        if not row[1]:
            parts.append(inner)
            continue
        url = entities.post_url(base, row[0])
        parts.append(
            f'{{"id":"{row[0]}","created_at":"{iso(_as_datetime(row[2]))}","uri":{encode(url)}'
            ',"url":null,"in_reply_to_id":null,"in_reply_to_account_id":null,"content":""'
            ',"spoiler_text":"","sensitive":false,"edited_at":null,"media_attachments":[]'
            f',"mentions":[],"tags":[],"visibility":{static.visibility}'
            f',"language":{static.language},"account":{accounts[row[11]]}{counters}'
            f',"reblog":{inner},"emojis":[],"card":null,"poll":null{flags}}}'
        )
    parts.append("]")
    return "".join(parts)


def _polls(shown: list[tuple], statics: dict[int, _Static], viewer: Account) -> dict[int, str]:
    from voliere.polls.entities import polls_json

    refs = [_PostRef(pk, author[0]) for _, pk, _, author in shown if statics[pk].has_poll]
    return {pk: encode(poll) for pk, poll in polls_json(refs, viewer).items()}


def clear_caches() -> None:
    """Forget every cached text (tests that count queries start from a known state)."""
    STATUS_TEXT.clear()
    ACCOUNT_TEXT.clear()


__all__ = ["ACCOUNT_FIELDS", "HOME_COLUMNS", "clear_caches", "encode", "render_rows"]
