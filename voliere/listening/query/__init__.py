"""The listening query language: what a topic watches for.

    acme                      the word "acme" (whole word, any case or accents: "ACME", "Acmé")
    launch*                   any word starting with "launch" (launch, launches, launched)
    "acme cloud"              these words, consecutive and in this order
    e-mail  l'oréal           punctuation inside a bare word makes a phrase ("e mail")
    #acmecloud                the hashtag (in the post's hashtags or its text)
    @acme                     the post mentions @acme (also @acme@any.instance)
    @acme.bsky.social         a mention with a full handle
    acme cloud                both (AND is implied between adjacent operands)
    acme AND cloud            the same, explicitly
    acme OR globex            either
    NOT jobs  -jobs           without the word; `-` also applies to "phrases", #tags, (groups)
    (acme OR globex) -jobs    parentheses group
    lang:fr                   the post's language (ISO 639-1 code, detected or declared)
    from:alice                posted by this handle (also alice@any.instance)
    source:x                  published on this network: x (or twitter), bluesky, mastodon,
                              rss, internal (this Volière network), csv (CSV imports);
                              source:mastodon:mastodon.social names one Mastodon instance

Operators are upper case (`and`, `or`, `not` are plain words). Precedence: NOT and `-`
bind tightest, then AND (explicit or implied), then OR. Words are runs of letters and
digits; a plain term also matches inside hashtags and mentions (`acme` matches "#acme" and
"@acme"), while `#acme` and `@acme` match only the tag or the mention. Nothing is stemmed.

Mistakes raise `QuerySyntaxError` (an `InvalidInput` on the field "query") whose message
names the problem and its 0-based character position, e.g. "unclosed quote at 12",
"expected a term after NOT at 5", "unknown field 'foo:' at 0".
"""

from __future__ import annotations

from dataclasses import dataclass

from voliere.listening.query.nodes import (
    And,
    Field,
    Handle,
    Hashtag,
    Node,
    Not,
    Or,
    Phrase,
    Term,
    to_text,
)
from voliere.listening.query.parser import (
    FIELDS,
    MAX_LENGTH,
    SOURCES,
    QuerySyntaxError,
    parse_node,
)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: `text` as written, `root` its syntax tree."""

    text: str
    root: Node

    @property
    def canonical(self) -> str:
        return to_text(self.root)


def parse(text: str) -> Query:
    """Parse `text`; raises `QuerySyntaxError` with the position and nature of a mistake."""
    return Query(text, parse_node(text))


__all__ = [
    "FIELDS", "MAX_LENGTH", "SOURCES", "And", "Field", "Handle", "Hashtag", "Node", "Not",
    "Or", "Phrase", "Query", "QuerySyntaxError", "Term", "parse", "to_text",
]
