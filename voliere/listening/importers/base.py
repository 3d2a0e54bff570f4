"""The shape every importer shares: a reader turns an open binary file into a stream of
`Parsed` records, each either an `IncomingPost` or the reason it was rejected, labelled
with where it is in the file ("line 12", "record 7"), in a fixed order (a resumed import
skips the records an interrupted run committed by counting them)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from voliere.listening.importers.fields import json_line, utf8_lines
from voliere.listening.records import IncomingPost, RecordRejected


class UnreadableFile(ValueError):
    """The file as a whole cannot be imported (wrong format, CSV header without the mapped
    columns): nothing is imported, the command exits 2 with this message."""


@dataclass(frozen=True, slots=True)
class Parsed:
    label: str
    post: IncomingPost | None = None
    error: str = ""


@dataclass(frozen=True)
class ReaderOptions:
    """`network`: the dedup namespace of the file's ids when the format does not say it
    (CSV, some 4CAT files); `mapping`: CSV column for each `IncomingPost` field."""

    path: Path
    network: str = ""
    mapping: dict[str, str] = field(default_factory=dict)


Reader = Callable[[IO[bytes], ReaderOptions], Iterator[Parsed]]


def parsed(label: str, build: Callable[[], IncomingPost]) -> Parsed:
    """Run `build`; a `RecordRejected` (or a malformed structure) becomes the record's
    error, labelled."""
    try:
        return Parsed(label, post=build())
    except RecordRejected as error:
        return Parsed(label, error=str(error))
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        return Parsed(label, error=f"malformed record ({type(error).__name__}: {error})")


def json_records(binary: IO[bytes],
                 build: Callable[[str, Any], Iterator[Parsed]]) -> Iterator[Parsed]:
    """The records of a JSON-lines file: each non-blank line's JSON value goes to `build`
    with its label ("line 12"), which yields its records; a line that is not UTF-8 JSON
    is one rejected record."""
    for number, line in utf8_lines(binary):
        if not line.strip():
            continue
        label = f"line {number}"
        try:
            value = json_line(line)
        except RecordRejected as error:
            yield Parsed(label, error=str(error))
            continue
        yield from build(label, value)
