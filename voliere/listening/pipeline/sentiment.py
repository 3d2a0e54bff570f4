"""The shipped sentiment model: a multinomial logistic regression over the binary features
of `features.extract`, exported as gzipped JSON (feature → three weights) so that inference
needs neither scikit-learn nor numpy, only dictionary look-ups (tens of µs per post).

French and English are analysed; any other language gets "neutral" with model "" — the
UI says "not analysed" rather than pretending. `VOLIERE_SENTIMENT_MODEL` pointing at a
local Hugging Face model directory switches to the transformer backend (`transformer.py`).
"""

from __future__ import annotations

import gzip
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import Protocol

from voliere.listening.pipeline.features import extract
from voliere.listening.pipeline.lexicons import MODELS

LABELS = ("negative", "neutral", "positive")
SUPPORTED = frozenset({"fr", "en"})
DEFAULT_MODEL_PATH = MODELS / "sentiment.json.gz"
UNANALYSED = ("neutral", 0.0, "")


@dataclass(frozen=True, slots=True)
class Verdict:
    sentiment: str  # one of LABELS
    score: float  # probability of `sentiment`, 0..1
    model: str  # "" when the language is not analysed


class SentimentBackend(Protocol):
    def classify(self, texts: list[str], langs: list[str]) -> list[Verdict]: ...


@dataclass
class Head:
    """One language's weights. Softmax only sees differences, so each feature keeps two
    numbers, (negative − neutral, positive − neutral), held as one complex number:
    scoring a post is then a single C-level `sum(map(dict.get, …))`."""

    bias: complex
    weights: dict[str, complex]

    @classmethod
    def from_three(cls, intercept: Sequence[float],
                   weights: dict[str, Sequence[float]]) -> Head:
        """From per-class weights in LABELS order (as a classifier gives them)."""
        def diff(w: Sequence[float]) -> complex:
            return complex(round(w[0] - w[1], 5), round(w[2] - w[1], 5))

        return cls(diff(intercept), {f: diff(w) for f, w in weights.items()})


class LinearModel:
    """The shipped model: one `Head` per analysed language (both trained on French AND
    English tweets, with the regularisation that cross-validates best for that
    language). `name` goes into `Mention.sentiment_model` (≤ 40 characters) so a stored
    verdict says which model made it."""

    def __init__(self, *, name: str, heads: dict[str, Head]) -> None:
        self.name = name
        self.heads = heads
        self.langs = frozenset(heads)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        heads = {lang: Head(complex(*head["bias"]),
                            {f: complex(a, b) for f, (a, b) in head["weights"].items()})
                 for lang, head in data["heads"].items()}
        return cls(name=data["name"], heads=heads)

    def save(self, path: Path, *, metadata: dict | None = None) -> None:
        """Deterministic output (sorted keys, rounded weights, no gzip timestamp): training
        twice with the same data and seed writes the same bytes."""
        def pair(value: complex) -> list[float]:
            return [round(value.real, 5), round(value.imag, 5)]

        payload = {"name": self.name, "labels": list(LABELS), "metadata": metadata or {},
                   "format": "per feature: [negative - neutral, positive - neutral]",
                   "heads": {lang: {"bias": pair(head.bias),
                                    "weights": {f: pair(w) for f, w in head.weights.items()}}
                             for lang, head in self.heads.items()}}
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out, gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
            gz.write(raw)

    def probabilities(self, text: str, lang: str) -> tuple[float, float, float]:
        """(negative, neutral, positive) probabilities; `lang` must be in `langs`."""
        head = self.heads[lang]
        total = head.bias + sum(map(head.weights.get, extract(text, lang), repeat(0j)))
        neg, pos = total.real, total.imag
        top = max(neg, 0.0, pos)
        e0, e1, e2 = math.exp(neg - top), math.exp(-top), math.exp(pos - top)
        norm = e0 + e1 + e2
        return e0 / norm, e1 / norm, e2 / norm

    def classify(self, texts: list[str], langs: list[str]) -> list[Verdict]:
        out = []
        for text, lang in zip(texts, langs, strict=True):
            if lang not in self.langs:
                out.append(Verdict(*UNANALYSED))
                continue
            probs = self.probabilities(text, lang)
            best = max(range(3), key=probs.__getitem__)
            out.append(Verdict(LABELS[best], round(probs[best], 4), self.name))
        return out


@cache
def _backend(selector: str) -> SentimentBackend:
    if selector:
        from voliere.listening.pipeline.transformer import TransformerBackend

        return TransformerBackend(Path(selector))
    return LinearModel.load(DEFAULT_MODEL_PATH)


def backend() -> SentimentBackend:
    """The backend in force, built once per process: the transformer when
    `VOLIERE_SENTIMENT_MODEL` names a local model directory, else the shipped model."""
    return _backend(os.environ.get("VOLIERE_SENTIMENT_MODEL", "").strip())
