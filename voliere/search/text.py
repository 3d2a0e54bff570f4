"""Text normalisation shared by indexing, queries and snippets.

Both databases index the SAME tokens, computed here in Python, so SQLite and PostgreSQL
find the same things: words are split on anything that is not a letter or a digit,
case-folded, stripped of accents, then Snowball-stemmed in the document's language (French
or English): "Réunions" → "reunion", "running" → "run". Accents go BEFORE stemming because
people type queries without them: stemming "déplacées" and "deplacees" must give the same
token, which the French stemmer only does when both arrive unaccented.

A query does not know the language of the documents it must find, so each query word is
expanded to the stems it has in every supported language (`variants`): "running" looks for
"run" (English) or "running" (French). Documents without a declared language get the
language their stop words suggest (`guess_language`), else the instance's default.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import snowballstemmer
from django.conf import settings

LANGUAGES = ("en", "fr")
_STEMMERS = {
    "en": snowballstemmer.stemmer("english"),
    "fr": snowballstemmer.stemmer("french"),
}
# Letters and digits; the apostrophe splits ("l'équipe" → "l", "équipe").
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
# Longer words are noise (hashes, base64) and would bloat the index.
MAX_WORD = 40
_CACHE_LIMIT = 200_000
_stem_cache: dict[tuple[str, str], str] = {}

_STOP_WORDS = {
    "fr": frozenset(
        "le la les des du un une est et pour dans que qui pas sur avec nous vous ce cette "
        "mais sont au aux ou je il elle on ils leur très été être fait".split()
    ),
    "en": frozenset(
        "the and is are to of for with we you in on this that it be was were have has "
        "not but our your from at by will an".split()
    ),
}


def strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(word: str) -> str:
    """Case- and accent-insensitive form of a word, without stemming (hashtag keys)."""
    return strip_accents(word.casefold())


def stem(word: str, language: str) -> str:
    """The index token of one word in `language` ("en" or "fr"); memoized, since a
    vocabulary is small next to the number of words indexed."""
    key = (language, word)
    found = _stem_cache.get(key)
    if found is None:
        if len(_stem_cache) > _CACHE_LIMIT:
            _stem_cache.clear()
        folded = fold(word)
        # Only letters and digits reach the index (FTS5 would split on anything else).
        found = "".join(c for c in _STEMMERS[language].stemWord(folded) if c.isalnum())
        _stem_cache[key] = found or folded
    return found


def words(text: str) -> Iterator[re.Match[str]]:
    """The words of `text` with their positions (snippets need them)."""
    for match in WORD_RE.finditer(text):
        if len(match.group()) <= MAX_WORD:
            yield match


def default_language() -> str:
    code = (settings.LANGUAGE_CODE or "en").split("-")[0]
    return code if code in LANGUAGES else "en"


def index_language(declared: str, text: str) -> str:
    """The stemming language of a document: its declared one when supported, else a guess."""
    code = (declared or "").split("-")[0].lower()
    if code in LANGUAGES:
        return code
    return guess_language(text)


def guess_language(text: str) -> str:
    """French or English by counting stop words; the instance default on a tie."""
    counts = dict.fromkeys(LANGUAGES, 0)
    for match in words(text[:2000]):
        word = match.group().casefold()
        for language, stops in _STOP_WORDS.items():
            if word in stops:
                counts[language] += 1
    best = max(counts.values())
    winners = [lang for lang, count in counts.items() if count == best]
    return winners[0] if len(winners) == 1 else default_language()


def tokens(text: str, language: str) -> list[str]:
    """Index tokens of `text`, in order (positions matter for phrase queries)."""
    return [stem(m.group(), language) for m in words(text)]


def variants(word: str) -> tuple[str, ...]:
    """Every index token `word` may have been stored as, one per language, deduplicated."""
    return tuple(dict.fromkeys(stem(word, language) for language in LANGUAGES))
