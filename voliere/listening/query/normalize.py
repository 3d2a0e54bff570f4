"""Case- and accent-folding and word splitting shared by the query parser and the matcher.

Both sides must cut and fold text identically, or a query word could never equal a
document token: words are runs of letters and digits (`voliere.search.text.WORD_RE`, so
"l'Oréal" is "l" + "oreal" and "e-mail" is "e" + "mail"), case-folded then stripped of
accents after compatibility decomposition (NFKD: "ﬁ" → "fi", full-width letters → ASCII).
Unlike search, nothing is stemmed: a listening term matches a whole word exactly, which is
what a brand or product name needs ("Orange" must not match "oranges" unless asked for
with `orange*`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from voliere.search.text import WORD_RE

# Every combining mark (accents, cedillas…; all lie below U+20000) mapped to None for
# str.translate, which strips them in C: far faster than a Python loop over characters,
# and this runs on every post.
_LAST_MARK = 0x20000
_COMBINING = {
    code: None for code in range(_LAST_MARK) if unicodedata.combining(chr(code))
}
# "@alice", "@alice@mastodon.social", "@acme.bsky.social" (folded text, so \w is enough).
MENTION_RE = re.compile(r"(?<![\w@/])@(\w+(?:[.\-]\w+)*)(?:@(\w+(?:[.\-]\w+)*))?")
HASHTAG_RE = re.compile(r"(?<![\w#&/])#(\w+)")


def fold(text: str) -> str:
    """`text` case-folded and without accents; ASCII text skips the Unicode work."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return unicodedata.normalize("NFKD", folded).translate(_COMBINING)


def split_words(folded: str) -> list[str]:
    """The words of already folded text, in order."""
    return WORD_RE.findall(folded)


@functools.lru_cache(maxsize=100_000)
def fold_word(word: str) -> tuple[str, ...]:
    """The folded words of one lower-case word (usually one; "½" gives "1", "2")."""
    return tuple(WORD_RE.findall(fold(word)))


def lower_nfc(text: str) -> str:
    """`text` case-folded and composed (NFC), so a word is one `WORD_RE` run even when the
    text arrived decomposed (an "e" followed by a combining accent)."""
    lowered = text.casefold()
    if lowered.isascii() or unicodedata.is_normalized("NFC", lowered):
        return lowered
    return unicodedata.normalize("NFC", lowered)


# ASCII letters and digits kept, other ASCII bytes become spaces, non-ASCII (UTF-8
# continuation and lead bytes, ≥ 0x80) kept for `_fold_chunk`.
_ASCII_SPLIT = bytes(
    code if code >= 0x80 or chr(code).isalnum() else 0x20 for code in range(256)
)


def words_of(text: str) -> list[str]:
    """The folded words of `text`, in order: the same as `split_words(fold(text))`, but
    cheaper since this runs on every incoming post. ASCII punctuation becomes spaces in
    one C-level bytes translation, then `split`; the rare chunks with non-ASCII characters
    are cut and folded by `_fold_chunk`, memoized per distinct chunk."""
    lowered = lower_nfc(text)
    chunks = lowered.encode().translate(_ASCII_SPLIT).decode().split()
    if lowered.isascii():
        return chunks
    words: list[str] = []
    for chunk in chunks:
        if chunk.isascii():
            words.append(chunk)
        else:
            words.extend(_fold_chunk(chunk))
    return words


@functools.lru_cache(maxsize=100_000)
def _fold_chunk(chunk: str) -> tuple[str, ...]:
    """The folded words of a run of ASCII letters, digits and non-ASCII characters."""
    words: list[str] = []
    for word in WORD_RE.findall(chunk):
        words.extend(fold_word(word) if not word.isascii() else (word,))
    return tuple(words)


def fold_name(name: str) -> str:
    """A hashtag or handle found in lower-cased text, folded (memoized like words)."""
    return name if name.isascii() else _fold_name(name)


@functools.lru_cache(maxsize=100_000)
def _fold_name(name: str) -> str:
    return fold(name)
