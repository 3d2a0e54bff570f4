"""Language of short posts: ISO 639-1 code, or "" when unsure (then the source's declared
language, if any, is kept).

A two-stage cascade, because lingua alone costs too much at the pipeline's rate (measured
on this 2-core machine with 648 tweets × 5: high-accuracy mode ≈ 1,900 posts/s, low-accuracy
mode ≈ 13,000 posts/s, the parallel API no faster under load; the target is 5,800 posts/s
end to end *including* the database). Stage 1 counts function words that are
characteristic of one language ("the", "and", "les", "est", "der", "und", …); when one
language clearly wins (≥ 2 hits and 3× the runner-up, or the only hit) that is the
answer, in a couple of µs. Stage 2 is lingua in low-accuracy mode over a restricted
language set, built once, with a minimum relative distance so that a near tie answers ""
instead of guessing.
Figures in docs/nlp.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from voliere.listening.pipeline.features import tokens

LANGUAGES = ("fr", "en", "de", "es", "it", "pt", "nl")

# Frequent words that are rare in the other languages of the set; words shared by two of
# them ("de", "la", "en", "il", "que", "non", "is", "in", "was", "tu", "mais"…) are left out.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset("le les des est une du au aux et pour pas dans sur qui ce cette on je "
                    "nous vous ils elle sont plus tout très être fait été ça aussi leur "
                    "comme à ces notre nos votre ses sans après depuis chez où déjà encore "
                    "avec".split()),
    "en": frozenset("the and are were of to that this it for with you have has be not at "
                    "they we my your what would just can do from all but about or".split()),
    "de": frozenset("der und ist nicht ich sie mit auf für den dem ein eine auch sich wir "
                    "zu von bei noch".split()),
    "es": frozenset("el los las y es por muy pero más yo al lo".split()),
    "it": frozenset("gli della che è per sono di anche più questo nel alla".split()),
    "pt": frozenset("os dos não uma com é muito também são pelo pela ao".split()),
    "nl": frozenset("het een van niet dat ik met voor op zijn ook maar wat wij hij aan "
                    "bij".split()),
}


@cache
def _detector():
    """Lingua detector over LANGUAGES, built once per process (model loading is the
    expensive part)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in LANGUAGES]
    return (LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
            .with_low_accuracy_mode()
            .with_minimum_relative_distance(0.05)
            .with_preloaded_language_models()
            .build())


_WORD_LANGUAGE = {word: code for code, words in _FUNCTION_WORDS.items() for word in words}


def quick_guess(words: Sequence[str]) -> str:
    """Stage 1: the language whose function words clearly dominate `words`, else ""."""
    counts = dict.fromkeys(LANGUAGES, 0)
    for code in map(_WORD_LANGUAGE.get, words):
        if code is not None:
            counts[code] += 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    (best, hits), (_, runner_up) = ranked[0], ranked[1]
    return best if (hits >= 2 and hits >= 3 * runner_up) or (hits == 1 and not runner_up) else ""


_NOISE = frozenset({"http", "https", "rt", "via", "amp"})


def detect(text: str, words: Sequence[str] | None = None) -> str:
    """ISO 639-1 code of `text`, or "" when unsure (too few letters, tie). `words` are the
    text's `features.tokens` when the caller already has them. Lingua sees only the words
    (no URLs, handles, "RT", emoji), which would otherwise sway short posts."""
    words = tokens(text) if words is None else words
    guess = quick_guess(words)
    if guess:
        return guess
    cleaned = " ".join(word for word in (w.lstrip("#") for w in words)
                       if word and word[0].isalpha() and word not in _NOISE)
    if sum(map(str.isalpha, cleaned)) < 3:
        return ""
    found = _detector().detect_language_of(cleaned)
    return found.iso_code_639_1.name.lower() if found is not None else ""


def detect_many(texts: Sequence[str], declared: Sequence[str] | None = None) -> list[str]:
    """`detect` over a batch; where detection is unsure, the declared language (if any,
    lower-cased, region dropped: "en-GB" → "en") is kept."""
    out = []
    for index, text in enumerate(texts):
        code = detect(text)
        if not code and declared:
            code = declared[index].split("-")[0].split("_")[0].lower()[:8]
        out.append(code)
    return out
