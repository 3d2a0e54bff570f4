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


class LinearModel:
    """Weights of the shipped model. `name` goes into `Mention.sentiment_model` (≤ 40
    characters) so that a stored verdict says which model made it."""

    def __init__(self, *, name: str, intercept: list[float],
                 weights: dict[str, list[float]], langs: list[str]) -> None:
        self.name = name
        self.intercept = tuple(intercept)
        self.weights = weights
        # Softmax only sees differences: each feature becomes one complex number
        # (negative − neutral) + (positive − neutral)j, so scoring a post is a single
        # C-level `sum(map(dict.get, …))` — one look-up per feature instead of three.
        self._table = {f: complex(w[0] - w[1], w[2] - w[1]) for f, w in weights.items()}
        self._bias = complex(self.intercept[0] - self.intercept[1],
                             self.intercept[2] - self.intercept[1])
        self.langs = frozenset(langs)

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        return cls(name=data["name"], intercept=data["intercept"], weights=data["weights"],
                   langs=data["langs"])

    def save(self, path: Path, *, metadata: dict | None = None) -> None:
        """Deterministic output (sorted keys, rounded weights, no gzip timestamp): training
        twice with the same data and seed writes the same bytes."""
        payload = {"name": self.name, "labels": list(LABELS), "langs": sorted(self.langs),
                   "intercept": [round(x, 5) for x in self.intercept],
                   "weights": {f: [round(x, 5) for x in w]
                               for f, w in sorted(self.weights.items())},
                   "metadata": metadata or {}}
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out, gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
            gz.write(raw)

    def probabilities(self, text: str, lang: str) -> tuple[float, float, float]:
        total = self._bias + sum(map(self._table.get, extract(text, lang), repeat(0j)))
        neg, neu, pos = total.real, 0.0, total.imag
        top = max(neg, neu, pos)
        e0, e1, e2 = math.exp(neg - top), math.exp(neu - top), math.exp(pos - top)
        total = e0 + e1 + e2
        return e0 / total, e1 / total, e2 / total

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
