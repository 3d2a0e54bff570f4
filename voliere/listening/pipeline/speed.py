"""Throughput of `enrich` on one core: `python -m voliere.listening.pipeline.speed [FILE…]`.

Reads posts (one per line) from the given files — by default the French and English
training tweets in ../shared/data/sentiment when present, else a built-in sample — warms
the caches once, then times `enrich` in batches of 512 over several rounds and prints the
best round, with CPU time (`time.process_time`, less sensitive to other processes on a
shared machine than wall time) and the share of each stage.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from voliere.listening.pipeline.enrich import enrich
from voliere.listening.pipeline.entities import entities_many
from voliere.listening.pipeline.features import tokens
from voliere.listening.pipeline.language import detect_many
from voliere.listening.pipeline.sentiment import backend

DEFAULT = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "sentiment"
SAMPLE = [
    "Le service client de @acme ne répond jamais, c'est une honte 😡 #panne",
    "We love the new Acme Cloud dashboard, great work team! 🎉",
    "Pourquoi ma commande n'est toujours pas arrivée ?",
    "Arctic sea ice reached a record low this summer http",
]


def _posts(paths: list[Path]) -> list[str]:
    if not paths and DEFAULT.is_dir():
        paths = [DEFAULT / lang / "train_text.txt" for lang in ("fr", "en")]
    if not paths:
        return SAMPLE * 1000
    return [line for path in paths
            for line in path.read_text(encoding="utf-8").split("\n") if line]


def _best(step, posts: list[str], langs: list[str], rounds: int = 3) -> float:
    """Best CPU seconds per post over `rounds` of `step(texts, langs)` in batches of 512
    (the token cache is cleared each round: every round pays for tokenization, as
    production does)."""
    best = float("inf")
    for _ in range(rounds):
        tokens.cache_clear()
        start = time.process_time()
        for begin in range(0, len(posts), 512):
            step(posts[begin:begin + 512], langs[begin:begin + 512])
        best = min(best, time.process_time() - start)
    return best / len(posts)


def main(argv: list[str]) -> int:
    posts = _posts([Path(arg) for arg in argv])
    enrich(posts[:512])  # load the models
    langs = detect_many(posts)
    model = backend()
    total = _best(lambda texts, _: enrich(texts), posts, langs)
    stages = {
        "language": _best(lambda texts, _: detect_many(texts), posts, langs),
        "sentiment": _best(model.classify, posts, langs),
        "entities": _best(entities_many, posts, langs),
    }
    print(f"enrich: {len(posts)} posts, {1 / total:,.0f} posts/s on one core "
          f"({total * 1e6:.1f} µs/post)")
    for name, seconds in stages.items():
        print(f"  {name}: {seconds * 1e6:.1f} µs/post alone")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
