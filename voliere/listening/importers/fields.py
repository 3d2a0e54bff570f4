"""What every importer needs to turn a foreign record into an `IncomingPost`: required
fields with a clear message, dates in the formats the tools write, text that really is
UTF-8. Every problem is a `RecordRejected` whose message names the field and the value."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import IO, Any

from voliere.listening.records import RecordRejected

# Lone surrogates are how undecodable bytes come out of a file opened with
# errors="surrogateescape": a record holding one was not UTF-8.
_BAD_BYTES = range(0xDC80, 0xDD00)
_DATE_FORMATS = (
    "%a %b %d %H:%M:%S %z %Y",  # Twitter v1.1 and the account archive
    "%Y-%m-%d %H:%M:%S",  # 4CAT, many CSV exports (UTC)
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)


def required(record: Mapping[str, Any], name: str, *, label: str | None = None) -> Any:
    """`record[name]`, which must be present and not empty."""
    value = record.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RecordRejected(f'missing "{label or name}"')
    return value


def text_of(value: Any, name: str) -> str:
    if not isinstance(value, str | int):
        raise RecordRejected(f'"{name}" is not text: {json.dumps(value)[:40]}')
    return str(value)


def parse_date(value: Any, name: str) -> datetime:
    """A timezone-aware datetime from ISO 8601 (with or without "Z"), the Twitter v1.1
    format, "YYYY-MM-DD HH:MM:SS", or a Unix timestamp (seconds or milliseconds).
    A date without a zone is UTC."""
    moment: datetime | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        moment = _from_timestamp(value)
    elif isinstance(value, str) and value.strip():
        raw = value.strip()
        if raw.replace(".", "", 1).isdigit():
            moment = _from_timestamp(float(raw))
        else:
            try:
                moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                for pattern in _DATE_FORMATS:
                    try:
                        moment = datetime.strptime(raw, pattern)  # noqa: DTZ007 — zone below
                        break
                    except ValueError:
                        continue
    if moment is None:
        raise RecordRejected(f'bad date in "{name}": {json.dumps(value)[:60]}')
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not 1990 <= moment.year <= 2200:
        raise RecordRejected(f'bad date in "{name}": {json.dumps(value)[:60]}')
    return moment


def _from_timestamp(value: float) -> datetime | None:
    if value > 1e11:  # milliseconds
        value /= 1000
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def check_utf8(text: str) -> None:
    """Reject text read with errors="surrogateescape" that held non-UTF-8 bytes."""
    for position, char in enumerate(text):
        if ord(char) in _BAD_BYTES:
            byte = ord(char) - 0xDC00
            raise RecordRejected(f"not UTF-8 (byte 0x{byte:02x} at character {position + 1})")


def utf8_lines(binary: IO[bytes]) -> Iterator[tuple[int, str]]:
    """(line number, text) of a binary file, streamed; a leading BOM is dropped. Lines
    that are not UTF-8 come through with surrogates (see `check_utf8`)."""
    for number, raw in enumerate(binary, start=1):
        line = raw.decode("utf-8", errors="surrogateescape")
        if number == 1:
            line = line.removeprefix("\ufeff")
        yield number, line


def json_line(line: str) -> Any:
    """One JSON value from a JSONL line (already checked for UTF-8)."""
    check_utf8(line)
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise RecordRejected(f"not JSON ({error.msg} at column {error.colno})") from None


def hashtag_texts(items: Iterable[Any], key: str) -> tuple[str, ...]:
    """Hashtags from Twitter's entity lists ([{"text": …}] in v1.1, [{"tag": …}] in v2)."""
    return tuple(str(item[key]).lower() for item in items
                 if isinstance(item, Mapping) and item.get(key))
