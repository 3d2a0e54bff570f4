"""Relevance of the matches in a window, computed in Python (SQLite backend).

Why not FTS5's own `bm25()`: to know how rare each word is, it counts every document
holding the word, on every query — 40 ms for a word found in 400,000 of 1,000,000 posts,
which alone would eat half the search budget. Here the same Okapi BM25 formula runs over
the window of matches the engine ranks (the newest RELEVANCE_WINDOW), with word rarity
measured in that window: words found in every match weigh the same, and what decides is
how often the words appear, in the title (content warning, name: ×10) or the body, and
how short the text is. PostgreSQL's `ts_rank` ranks the same window by the same signals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence, Set

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 10.0


def bm25(documents: Sequence[tuple[str, str]], terms: Set[str]) -> list[float]:
    """One score per document, higher is more relevant. A document is its (title, body)
    as stored in the index: tokens separated by single spaces. Counting is done with
    `str.count` on " token " (in C): this runs on hundreds of documents per search."""
    if not documents:
        return []
    padded = [(f" {title} ", f" {body} ") for title, body in documents]
    lengths = [title.count(" ") + body.count(" ") - 2 for title, body in padded]
    average = sum(lengths) / len(lengths) or 1.0
    counts = {
        term: [
            (title.count(f" {term} ") if len(title) > 2 else 0, body.count(f" {term} "))
            for title, body in padded
        ]
        for term in terms
    }
    total = len(documents)
    weights = {}
    for term, per_document in counts.items():
        df = sum(1 for title, body in per_document if title or body)
        if df:
            weights[term] = math.log(1 + (total - df + 0.5) / (df + 0.5))
    scores = []
    for index, length in enumerate(lengths):
        norm = K1 * (1 - B + B * length / average)
        score = 0.0
        for term, weight in weights.items():
            in_title, in_body = counts[term][index]
            tf = TITLE_WEIGHT * in_title + in_body
            if tf:
                score += weight * tf * (K1 + 1) / (tf + norm)
        scores.append(score)
    return scores
