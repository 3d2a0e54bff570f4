"""`enrich`: language, sentiment, entities and "is it a question" for a batch of posts —
the one code path of the ingestion and of `voliere nlp classify`, so what the CLI reports
is what the pipeline stores."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from voliere.listening.pipeline.entities import entities_many
from voliere.listening.pipeline.language import detect_many
from voliere.listening.pipeline.sentiment import backend

# A question mark after a word (not in a URL, not "?!" sarcasm alone), or an opening
# interrogative. French: "est-ce que", "pourquoi", "comment", "quand", inversion
# ("pouvez-vous", "avez-vous"); English: wh-words and auxiliaries at the start.
_QUESTION_MARK = re.compile(r"\w\s*[?？](?![\w/=&])")
_OPENERS = re.compile(
    r"^\s*(?:@\w+\s+)*(?:"
    r"est-ce qu\w*|pourquoi|comment|quand|combien|où|qui peut|"
    r"(?:peut|pouvez|pourriez|avez|savez|auriez|allez|faut|va)-(?:on|vous|il|t-il|t-on)|"
    r"why|how|when|where|what|who|which|"
    r"(?:can|could|would|will|does|do|did|is|are|has|have|should) "
    r"(?:you|i|we|anyone|someone|it|they|this|there)"
    r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Enrichment:
    lang: str  # ISO 639-1, "" when undetermined
    sentiment: str  # "negative" | "neutral" | "positive"
    score: float  # confidence of `sentiment`, 0..1 (0.0 when not analysed)
    model: str  # "" when the language is not analysed
    entities: list[dict] = field(default_factory=list)  # [{"text", "label"}]
    is_question: bool = False


def is_question(text: str) -> bool:
    """A question the community manager may have to answer: a question mark after a word,
    or a French/English interrogative opening (questions on Twitter often drop the "?")."""
    return bool(_QUESTION_MARK.search(text) or _OPENERS.match(text))


def enrich(texts: list[str], declared_langs: Sequence[str] | None = None) -> list[Enrichment]:
    """One `Enrichment` per text, in order. `declared_langs` (same length, "" for none) are
    the sources' declared languages, kept where detection is unsure. Pure: no database,
    no network; the sentiment backend is loaded once per process."""
    if declared_langs is not None and len(declared_langs) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(declared_langs)} declared languages")
    langs = detect_many(texts, declared_langs)
    verdicts = backend().classify(list(texts), langs)
    entities = entities_many(list(texts), langs)
    return [
        Enrichment(lang=lang, sentiment=verdict.sentiment, score=verdict.score,
                   model=verdict.model, entities=found, is_question=is_question(text))
        for text, lang, verdict, found in zip(texts, langs, verdicts, entities, strict=True)
    ]
