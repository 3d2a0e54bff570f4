"""What "who knows about X?" looks for: the words of X, and the declared skills they match.

The query is read by the search app's parser (`voliere.search.parser.parse`), so it is
normalised exactly as search does it (case- and accent-folded, Snowball-stemmed in French
and English: "reseaux" finds "Réseau", "running" finds "run"). Only words, "phrases",
-exclusions and #tags (taken as plain words) make sense here; search filters (`from:`,
`in:`, `lang:`, dates, `has:`, `is:`) are refused with a message saying so.

Skill matching happens in Python over the whole skill vocabulary: skills are few (hundreds
to a few thousand names, shared by everyone who declares them) and their stems are cached
per process, so one query costs one small `SELECT id, name FROM accounts_skill`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from voliere.accounts.models import Skill
from voliere.core.exceptions import InvalidInput
from voliere.search import text
from voliere.search.documents import MatchQuery
from voliere.search.parser import ParsedQuery, Phrase, parse

# A typed word this long or longer also matches the skill words it begins ("postgres"
# finds "PostgreSQL", "kube" does not: too short to mean anything on its own).
PREFIX_MIN = 5
_skill_forms: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class QueryWord:
    """One typed word: its folded form and the index tokens it may be stored as."""

    folded: str
    variants: tuple[str, ...]


@dataclass(frozen=True)
class ExpertQuery:
    """A checked query. `words` are the distinct words of its required phrases."""

    text: str
    required: tuple[Phrase, ...]
    excluded: tuple[Phrase, ...]
    words: tuple[QueryWord, ...]

    def match_query(self) -> MatchQuery:
        """The full-text form: every phrase required (as in search), exclusions applied."""
        return MatchQuery(
            required=tuple(p.variants for p in self.required),
            excluded=tuple(p.variants for p in self.excluded),
        )


def _refuse_filters(parsed: ParsedQuery) -> None:
    used = [
        name
        for name, value in (
            ("from:", parsed.from_handle),
            ("in:", parsed.community_slug),
            ("lang:", parsed.language),
            ("since:", parsed.since),
            ("until:", parsed.until),
            ("has:media", parsed.has_media),
            ("is:validated", parsed.is_validated),
        )
        if value
    ]
    if used:
        raise InvalidInput(
            _(
                "The expert finder looks for words only; “%(filter)s” is a search filter. "
                "Remove it, or use the search page."
            )
            % {"filter": used[0]},
            field="q",
        )


def parse_expert_query(raw: str) -> ExpertQuery:
    """Check and normalise a query. Raises InvalidInput (field "q") with a message saying
    what to type: an empty query, a query of exclusions only, search filters, and the
    parser's own syntax errors (unclosed quote, wildcard...)."""
    raw = (raw or "").strip()
    if not raw:
        raise InvalidInput(
            _("Type a subject to find who knows about it, e.g. “réseaux” or “PostgreSQL”."),
            field="q",
        )
    parsed = parse(raw)
    _refuse_filters(parsed)
    tag_phrases = [Phrase(tuple(m.group() for m in text.words(tag))) for tag in parsed.tags]
    required = [*parsed.required, *(p for p in tag_phrases if p.words)]
    if not required:
        raise InvalidInput(
            _("Add at least one word to look for: “-word” only excludes."), field="q"
        )
    words = {}
    for phrase in required:
        for word in phrase.words:
            folded = text.fold(word)
            words.setdefault(folded, QueryWord(folded, text.variants(word)))
    return ExpertQuery(
        text=raw,
        required=tuple(required),
        excluded=tuple(parsed.excluded),
        words=tuple(words.values()),
    )


def _forms(name: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(stems in every language, folded words) of a skill name, memoized."""
    found = _skill_forms.get(name)
    if found is None:
        if len(_skill_forms) > _CACHE_LIMIT:
            _skill_forms.clear()
        stems = frozenset(
            token for language in text.LANGUAGES for token in text.tokens(name, language)
        )
        folded = tuple(text.fold(m.group()) for m in text.words(name))
        found = _skill_forms[name] = (stems, folded)
    return found


def _word_matches(word: QueryWord, stems: frozenset[str], folded: tuple[str, ...]) -> bool:
    if any(variant in stems for variant in word.variants):
        return True
    return len(word.folded) >= PREFIX_MIN and any(w.startswith(word.folded) for w in folded)


def skill_coverage(query: ExpertQuery, name: str) -> float:
    """Share of the query's words (0–1) the skill `name` matches; 0 when it matches one of
    the excluded words."""
    stems, folded = _forms(name)
    for phrase in query.excluded:
        if all(
            _word_matches(QueryWord(text.fold(w), text.variants(w)), stems, folded)
            for w in phrase.words
        ):
            return 0.0
    matched = sum(1 for word in query.words if _word_matches(word, stems, folded))
    return matched / len(query.words)


def matching_skills(query: ExpertQuery) -> dict[int, tuple[str, float]]:
    """{skill id: (name, coverage)} of every skill matching at least one query word."""
    found = {}
    for skill_id, name in Skill.objects.values_list("id", "name"):
        coverage = skill_coverage(query, name)
        if coverage > 0:
            found[skill_id] = (name, coverage)
    return found
