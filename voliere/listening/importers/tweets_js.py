"""X/Twitter account archive: `data/tweets.js` (and `tweets-part1.js`, …).

The file is one JavaScript assignment, `window.YTD.tweets.part0 = [ {"tweet": {…}}, … ]`,
of the v1.1 tweet objects of ONE account: `id_str`, `full_text`, `created_at`
("Wed Oct 10 20:19:24 +0000 2018"), `lang`, `entities.hashtags[].text`,
`in_reply_to_status_id_str`. The author is not in the tweets: it is read from
`account.js` beside the file when present (`window.YTD.account.part0 = [{"account":
{"username", "accountDisplayName"}}]`). Archives are small (one account), so the array is
parsed in one go after stripping the assignment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from voliere.listening.importers.base import Parsed, ReaderOptions, UnreadableFile, parsed
from voliere.listening.importers.fields import check_utf8, hashtag_texts, parse_date, required
from voliere.listening.importers.fields import text_of as text_value
from voliere.listening.records import IncomingPost, RecordRejected

NETWORK = "x"
_ASSIGNMENT = re.compile(r"^\s*window\.YTD\.\w+\.part\d+\s*=\s*")


class NotAnArchive(UnreadableFile):
    """The whole file is unreadable (not the assignment, not JSON): nothing to import."""


def load_assignment(content: bytes, name: str) -> list[Any]:
    text = content.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    match = _ASSIGNMENT.match(text)
    if match is None:
        raise NotAnArchive(f"{name}: does not start with window.YTD.<name>.part<N> = [")
    try:
        items = json.loads(text[match.end():].rstrip().rstrip(";"))
    except json.JSONDecodeError as error:
        raise NotAnArchive(f"{name}: not JSON after the assignment ({error.msg}, line "
                           f"{error.lineno} column {error.colno})") from None
    if not isinstance(items, list):
        raise NotAnArchive(f"{name}: the assignment is not an array")
    return items


def _account(path: Path) -> dict[str, str]:
    candidate = path.parent / "account.js"
    if not candidate.is_file():
        return {}
    try:
        items = load_assignment(candidate.read_bytes(), "account.js")
        return items[0]["account"]
    except (NotAnArchive, LookupError, TypeError):
        return {}


def read(binary: IO[bytes], options: ReaderOptions) -> Iterator[Parsed]:
    items = load_assignment(binary.read(), options.path.name)
    account = _account(options.path)
    handle = str(account.get("username", ""))
    name = str(account.get("accountDisplayName", ""))
    for number, item in enumerate(items, start=1):
        yield parsed(f"record {number}", lambda item=item: _post(item, handle, name))


def _post(item: Any, handle: str, name: str) -> IncomingPost:
    tweet = item.get("tweet", item) if isinstance(item, dict) else None
    if not isinstance(tweet, dict):
        raise RecordRejected('not a {"tweet": {…}} object')
    tweet_id = text_value(tweet.get("id_str") or required(tweet, "id"), "id_str")
    if not tweet_id.isdigit():
        raise RecordRejected(f'bad "id_str": {tweet_id!r}')
    text = text_value(tweet.get("full_text") or required(tweet, "text", label="full_text"),
                      "full_text")
    check_utf8(text)
    user = tweet.get("user") if isinstance(tweet.get("user"), dict) else {}
    author = str(user.get("screen_name") or handle)
    return IncomingPost(
        network=NETWORK, external_id=tweet_id, text=text,
        published_at=parse_date(required(tweet, "created_at"), "created_at"),
        url=f"https://x.com/{author or 'i/web'}/status/{tweet_id}",
        author_handle=author, author_name=str(user.get("name") or name),
        author_followers=int(user.get("followers_count") or 0),
        author_url=f"https://x.com/{author}" if author else "",
        lang="" if tweet.get("lang") in (None, "und") else str(tweet["lang"])[:8],
        is_reply=bool(tweet.get("in_reply_to_status_id_str")),
        hashtags=hashtag_texts((tweet.get("entities") or {}).get("hashtags") or [], "text"),
    )
