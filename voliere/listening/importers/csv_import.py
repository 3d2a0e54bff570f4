"""CSV with a column mapping: `--map "id=tweet_id,text=body,published_at=date,…"`.

Each mapped name is an `IncomingPost` field (`id` stands for `external_id`); without
`--map`, columns named like the fields are used. `id`, `text` and `published_at` are
required. The network of the ids is `--network` (default "csv:<source name>"): give
`--network x` for tweet ids so they dedup against tweets from the other importers.
Streamed row by row; a row that is not UTF-8 is rejected, not the file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO

from voliere.listening.importers.base import Parsed, ReaderOptions, UnreadableFile, parsed
from voliere.listening.importers.fields import check_utf8, parse_date
from voliere.listening.links import http_url
from voliere.listening.records import IncomingPost, RecordRejected

FIELDS = ("id", "text", "published_at", "url", "author_handle", "author_name",
          "author_followers", "author_url", "lang", "is_reply", "hashtags")
REQUIRED = ("id", "text", "published_at")
_TRUE = {"1", "true", "yes", "y", "t", "vrai", "oui"}
csv.field_size_limit(10 * 1024 * 1024)


def parse_mapping(spec: str) -> dict[str, str]:
    """`"field=column,…"` → {field: column}; ValueError names what is wrong."""
    mapping: dict[str, str] = {}
    for pair in filter(None, (part.strip() for part in spec.split(","))):
        field, sep, column = (piece.strip() for piece in pair.partition("="))
        if not sep or not field or not column:
            raise ValueError(f"{pair!r} is not field=column")
        if field not in FIELDS:
            raise ValueError(f"unknown field {field!r} (fields: {', '.join(FIELDS)})")
        if field in mapping:
            raise ValueError(f"field {field!r} is mapped twice")
        mapping[field] = column
    return mapping


def read(binary: IO[bytes], options: ReaderOptions) -> Iterator[Parsed]:
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
    rows = csv.DictReader(text)
    header = rows.fieldnames or []
    mapping = options.mapping or {field: field for field in FIELDS if field in header}
    missing_fields = [field for field in REQUIRED if field not in mapping]
    if missing_fields:
        raise UnreadableFile(f"--map: no column for {', '.join(missing_fields)} (columns: "
                             f"{', '.join(header) or 'none'})")
    missing_columns = [column for column in mapping.values() if column not in header]
    if missing_columns:
        raise UnreadableFile(f"--map: no column {', '.join(map(repr, missing_columns))} in "
                             f"the header ({', '.join(header)})")
    network = options.network or f"csv:{options.path.stem}"[:80]
    for row in rows:
        yield parsed(f"line {rows.line_num}",
                     lambda row=row: _post(row, mapping, network))


def _post(row: dict[str, str | None], mapping: dict[str, str], network: str) -> IncomingPost:
    values = {field: (row.get(column) or "").strip() for field, column in mapping.items()}
    for field, value in values.items():
        try:
            check_utf8(value)
        except RecordRejected as error:
            raise RecordRejected(f'"{mapping[field]}": {error}') from None
    for field in REQUIRED:
        if not values[field]:
            raise RecordRejected(f'missing "{mapping[field]}"')
    followers = values.get("author_followers", "") or "0"
    if not followers.replace(",", "").replace(" ", "").isdigit():
        raise RecordRejected(f'bad number in "{mapping["author_followers"]}": {followers!r}')
    return IncomingPost(
        network=network, external_id=values["id"], text=values["text"],
        published_at=parse_date(values["published_at"], mapping["published_at"]),
        url=http_url(values.get("url", "")),
        author_handle=values.get("author_handle", "").lstrip("@"),
        author_name=values.get("author_name", ""),
        author_followers=int(followers.replace(",", "").replace(" ", "")),
        author_url=http_url(values.get("author_url", "")), lang=values.get("lang", "")[:8],
        is_reply=values.get("is_reply", "").lower() in _TRUE,
        hashtags=tuple(tag.lower().lstrip("#") for tag in
                       values.get("hashtags", "").replace(",", " ").split()),
    )
