"""Measures topic matching: `python -m voliere.listening.topics.benchmark [--posts N]`.

Fifty topics shaped like real ones (brand and product names, phrases, hashtags, handles,
exclusions, language and source filters, a few prefixes) are matched against synthetic
tweets (French and English words, accents, hashtags, mentions, 10 to 40 words). Prints the
cost per post of preparing (fold + split, done once per post) and of matching all topics.
The pipeline budget is ≲ 30 µs per post for 50 topics (≥ 5,800 posts/s end to end).
"""

from __future__ import annotations

import argparse
import random
import time

from voliere.listening.pipeline.matching import MatchDoc, compile_topics

WORDS = (
    "the and is a to of for with we you in on this that it service price delivery great "
    "awful late support team new launch store app update bug crash love hate week today "
    "le la les des du un une est et pour dans que qui pas sur avec nous vous très été "
    "livraison prix équipe nouveau magasin problème génial nul attente réponse client "
    "phone laptop cloud battery screen camera order refund money time people city paris "
    "london lyon marseille train plane hotel coffee music film football weather news"
).split()
BRANDS = (
    "acmé globex initech umbrella soylent hooli vandelay wonka cyberdyne tyrell stark wayne "
    "oscorp aperture blackmesa gringotts dunder pied piper monarch nakatomi weyland yoyodyne "
    "zorg vehement virtucon massive dynamic ollivander krusty duff buynlarge gekko sterling "
    "cooper prestige bluth oceanic dharma spacely cogswell"
).split()


def make_topics(count: int = 50, *, seed: int = 1) -> list[tuple[int, str]]:
    rng = random.Random(seed)
    shapes = [
        lambda b: f"{b} OR #{b} OR @{b}",
        lambda b: f'"{b} cloud" OR ({b} AND (service OR support)) -jobs',
        lambda b: f"({b} OR #{b}) lang:fr",
        lambda b: f"{b} {rng.choice(WORDS)} OR {b}phone* -source:rss",
        lambda b: f'#{b} OR "{b} {rng.choice(WORDS)}" OR from:{b}',
    ]
    return [(n + 1, shapes[n % len(shapes)](rng.choice(BRANDS).replace("é", "e")))
            for n in range(count)]


def make_docs(count: int, *, seed: int = 2) -> list[MatchDoc]:
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        words = rng.choices(WORDS, k=rng.randint(10, 40))
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), rng.choice(BRANDS).capitalize())
        if rng.random() < 0.2:
            words.append("#" + rng.choice(BRANDS))
        if rng.random() < 0.2:
            words.insert(0, "@" + rng.choice(BRANDS))
        docs.append(MatchDoc(" ".join(words), (), f"user{rng.randint(1, 999)}",
                             rng.choice(("en", "fr")), rng.choice(("x", "bluesky", "rss"))))
    return docs


def measure(posts: int) -> dict[str, float]:
    matcher = compile_topics(make_topics())
    docs = make_docs(posts)
    started = time.process_time()
    for doc in docs:
        doc.prepared()
    prepared = time.process_time()
    matched = sum(len(matcher.match(doc)) for doc in docs)
    done = time.process_time()
    return {
        "posts": posts, "matches": matched,
        "prepare_us": (prepared - started) / posts * 1e6,
        "match_us": (done - prepared) / posts * 1e6,
        "total_us": (done - started) / posts * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    figures = measure(parser.parse_args().posts)
    print(f"{figures['posts']} posts, 50 topics, {figures['matches']} matches: "
          f"prepare {figures['prepare_us']:.1f} µs/post, match {figures['match_us']:.1f} "
          f"µs/post, total {figures['total_us']:.1f} µs/post "
          f"({1e6 / figures['total_us']:,.0f} posts/s on one core)")


if __name__ == "__main__":
    main()
