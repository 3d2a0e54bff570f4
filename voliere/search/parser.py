"""The search query language, parsed into a `ParsedQuery` (never passed raw to a database).

    réunion budget              both words (any form: "réunions", "Reunion"...)
    "release notes"             the words in this order
    -coffee  -"open space"      without this word / phrase
    #python                     carrying the hashtag
    from:alice  in:design-team  lang:fr  since:2026-01-31  until:2026-02-28
    has:media  is:validated

Every other punctuation character separates words, as in any search box, except `*`
(wildcards are refused: stemming already finds other forms). Mistakes raise
`QuerySyntaxError`, a 400 whose message names what is wrong and where (1-based character
position), e.g. an unclosed quote, an unknown filter, a date that does not exist.
Filter values are checked for shape here; whether `from:` or `in:` name something the
viewer may see is the engine's business.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput
from voliere.core.text import HANDLE_RE, normalize_tag
from voliere.search import text

MAX_QUERY = 500
MAX_WORDS = 24
FILTERS = ("from", "in", "lang", "since", "until", "has", "is")
_HANDLE = re.compile(rf"@?({HANDLE_RE})")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")
_LANG = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z]{2,4})?")
_TAG = re.compile(r"#(\w{1,100})", re.UNICODE)
_FILTER = re.compile(r"([A-Za-z]+):")


class QuerySyntaxError(InvalidInput):
    """A query that cannot be understood; `position` is the 1-based character at fault."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, field="q")
        self.position = position


@dataclass(frozen=True)
class Phrase:
    """Words that must appear in this order; a single word is a one-word phrase."""

    words: tuple[str, ...]

    @property
    def variants(self) -> tuple[tuple[str, ...], ...]:
        """Per word, the index tokens it may have been stored as (see `text.variants`)."""
        return tuple(text.variants(word) for word in self.words)


@dataclass
class ParsedQuery:
    required: list[Phrase] = field(default_factory=list)
    excluded: list[Phrase] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    from_handle: str | None = None
    community_slug: str | None = None
    language: str | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    has_media: bool = False
    is_validated: bool = False

    @property
    def has_criteria(self) -> bool:
        """Something the index can match on (dates alone only narrow a match)."""
        return bool(
            self.required
            or self.tags
            or self.from_handle
            or self.community_slug
            or self.language
            or self.has_media
            or self.is_validated
        )

    @property
    def highlight_tokens(self) -> frozenset[str]:
        """Index tokens to highlight in snippets: every form of every required word."""
        return frozenset(
            token for phrase in self.required for forms in phrase.variants for token in forms
        )


def parse(query: str) -> ParsedQuery:
    """Parse `query` (see the module docstring); raises QuerySyntaxError."""
    query = (query or "").replace("\x00", " ")
    if len(query) > MAX_QUERY:
        raise QuerySyntaxError(
            _("A search has at most %(limit)s characters.") % {"limit": MAX_QUERY}, MAX_QUERY + 1
        )
    parsed = ParsedQuery()
    position, end = 0, len(query)
    while position < end:
        char = query[position]
        if char.isspace():
            position += 1
            continue
        negated = char == "-" and position + 1 < end and not query[position + 1].isspace()
        start = position + 1 if negated else position
        if start < end and query[start] == '"':
            position = _phrase(query, start, parsed, negated)
        else:
            position = _token(query, start, parsed, negated)
    if sum(len(p.words) for p in parsed.required + parsed.excluded) > MAX_WORDS:
        raise QuerySyntaxError(
            _("A search has at most %(limit)s words.") % {"limit": MAX_WORDS}, end
        )
    if parsed.since and parsed.until and parsed.since > parsed.until:
        raise QuerySyntaxError(_("“since:” is after “until:”: no date can match both."), 1)
    return parsed


def _phrase(query: str, start: int, parsed: ParsedQuery, negated: bool) -> int:
    closing = query.find('"', start + 1)
    if closing == -1:
        raise QuerySyntaxError(
            _('The quote at character %(position)s is never closed: add a closing ".')
            % {"position": start + 1},
            start + 1,
        )
    inside = query[start + 1 : closing]
    _refuse_wildcards(inside, start + 1)
    found = tuple(m.group() for m in text.words(inside))
    if found:
        (parsed.excluded if negated else parsed.required).append(Phrase(found))
    return closing + 1


def _token(query: str, start: int, parsed: ParsedQuery, negated: bool) -> int:
    stop = start
    while stop < len(query) and not query[stop].isspace() and query[stop] != '"':
        stop += 1
    token = query[start:stop]
    tag = _TAG.fullmatch(token.rstrip(".,;:!?)"))
    if tag:
        if negated:
            raise QuerySyntaxError(_not_negatable("#", start), start)
        parsed.tags.append(normalize_tag(tag.group(1)))
        return stop
    named = _FILTER.match(token)
    if named and not token[named.end() :].startswith("//"):  # "https://..." is text
        name = named.group(1).lower()
        if name not in FILTERS:
            raise QuerySyntaxError(
                _("Unknown filter “%(name)s:” at character %(position)s. Filters: %(known)s.")
                % {
                    "name": named.group(1),
                    "position": start + 1,
                    "known": ", ".join(f"{f}:" for f in FILTERS),
                },
                start + 1,
            )
        if negated:
            raise QuerySyntaxError(_not_negatable(f"{name}:", start), start)
        _apply_filter(parsed, name, token[named.end() :], start + 1)
        return stop
    _refuse_wildcards(token, start)
    for match in text.words(token):
        (parsed.excluded if negated else parsed.required).append(Phrase((match.group(),)))
    return stop


def _not_negatable(name: str, start: int) -> str:
    return _("“-” cannot exclude the filter “%(name)s” (character %(position)s).") % {
        "name": name,
        "position": start,
    }


def _refuse_wildcards(chunk: str, offset: int) -> None:
    star = chunk.find("*")
    if star != -1:
        raise QuerySyntaxError(
            _(
                "Wildcards (*) are not supported (character %(position)s): search for whole "
                "words; other forms of a word are found anyway (“run” finds “running”)."
            )
            % {"position": offset + star + 1},
            offset + star + 1,
        )


def _apply_filter(parsed: ParsedQuery, name: str, value: str, position: int) -> None:
    def fail(message: str) -> QuerySyntaxError:
        return QuerySyntaxError(
            _("“%(name)s:” at character %(position)s: %(message)s")
            % {"name": name, "position": position, "message": message},
            position,
        )

    if not value:
        raise fail(_("a value must follow the colon, without a space."))
    attribute = {"from": "from_handle", "in": "community_slug", "lang": "language"}.get(name)
    if (
        attribute
        and getattr(parsed, attribute) is not None
        or (name in ("since", "until") and getattr(parsed, name) is not None)
    ):
        raise fail(_("this filter appears twice."))
    if name == "from":
        match = _HANDLE.fullmatch(value)
        if not match:
            raise fail(_("“%(value)s” is not a handle.") % {"value": value})
        parsed.from_handle = match.group(1)
    elif name == "in":
        if not _SLUG.fullmatch(value):
            raise fail(_("“%(value)s” is not a community address.") % {"value": value})
        parsed.community_slug = value.lower()
    elif name == "lang":
        if not _LANG.fullmatch(value):
            raise fail(_("“%(value)s” is not a language code such as fr or en.") % {"value": value})
        parsed.language = value.split("-")[0].lower()
    elif name in ("since", "until"):
        try:
            setattr(parsed, name, datetime.date.fromisoformat(value))
        except ValueError:
            raise fail(
                _("“%(value)s” is not a date: write YYYY-MM-DD, e.g. 2026-03-31.")
                % {"value": value}
            ) from None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise fail(_("write dates as YYYY-MM-DD, e.g. 2026-03-31."))
    elif name == "has":
        if value.lower() != "media":
            raise fail(_("the only value is “has:media”."))
        parsed.has_media = True
    elif name == "is":
        if value.lower() != "validated":
            raise fail(_("the only value is “is:validated”."))
        parsed.is_validated = True
