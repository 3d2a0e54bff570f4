"""What the index stores for one object, and the compiled form of a query.

A `Document` is three lists of tokens (see `voliere.search.text`): `title` (ranked higher),
`body`, and `meta`, the filter tokens (`meta_*` below) that let the index itself answer
`from:`, `in:`, `#tag`, `lang:`, `has:media` and `is:validated`, so a filtered search is
one index look-up instead of a scan of the matches.

A `MatchQuery` is what a backend receives: phrases (each word with its alternative
tokens), required meta tokens, excluded phrases, and an id range. Backends write it in
their own syntax from these tokens alone — user input never reaches MATCH or tsquery.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from voliere.search.text import fold

Alternatives = tuple[str, ...]
PhraseTokens = tuple[Alternatives, ...]


@dataclass(frozen=True)
class Document:
    object_id: int
    title: list[str]
    body: list[str]
    meta: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MatchQuery:
    required: tuple[PhraseTokens, ...] = ()
    meta: tuple[str, ...] = ()
    excluded: tuple[PhraseTokens, ...] = ()
    min_id: int | None = None  # exclusive
    max_id: int | None = None  # exclusive


def meta_author(account_id: int) -> str:
    return f"a{account_id}"


def meta_community(community_id: int) -> str:
    return f"c{community_id}"


def meta_language(code: str) -> str:
    return "l" + "".join(c for c in code.lower() if c.isalnum())


def meta_tag(tag: str) -> str:
    return "t" + "".join(c for c in fold(tag) if c.isalnum())


META_MEDIA = "hmedia"
META_VALIDATED = "ivalidated"
