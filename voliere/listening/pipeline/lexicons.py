"""Polarity lexicons shipped with the package, loaded once.

`models/lexicon_fr.tsv` (Pattern's French adjectives, PDDL, via textblob-fr, MIT),
`models/lexicon_en.tsv` (VADER, MIT) and `models/lexicon_extra.tsv` (written for Volière:
French tweet words the adjective lexicon lacks, and emoji). Provenance in docs/nlp.md.
Values are polarities in -1..1.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

MODELS = Path(__file__).resolve().parent / "models"


def _rows(name: str) -> list[list[str]]:
    lines = (MODELS / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


@cache
def word_polarity(lang: str) -> dict[str, float]:
    """Word → polarity for `lang` ("fr", "en"); empty for other languages."""
    if lang not in ("fr", "en"):
        return {}
    table = {word: float(value) for word, value in _rows(f"lexicon_{lang}.tsv")}
    for row_lang, word, value in _rows("lexicon_extra.tsv"):
        if row_lang == lang:
            table[word] = float(value)
    return table


@cache
def _emoji() -> dict[str, float]:
    return {word: float(value) for lang, word, value in _rows("lexicon_extra.tsv")
            if lang == "*"}


def emoji_polarity(symbol: str) -> float:
    """Polarity of one emoji or symbol (0.0 when unknown); variation selectors ignored."""
    return _emoji().get(symbol.rstrip("\ufe0f"), 0.0)
