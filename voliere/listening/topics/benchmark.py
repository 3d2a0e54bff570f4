"""Measures topic matching and the topic preview.

    python -m voliere.listening.topics.benchmark [--posts N]
    python -m voliere.listening.topics.benchmark --preview 100000 [--data DIR]
        [--database-url postgres://...]

Fifty topics shaped like real ones (brand and product names, phrases, hashtags, handles,
exclusions, language and source filters, a few prefixes) are matched against synthetic
tweets (French and English words, accents, hashtags, mentions, 10 to 40 words). Prints the
cost per post of preparing (fold + split, done once per post) and of matching all topics.
The pipeline budget is ≲ 30 µs per post for 50 topics (≥ 5,800 posts/s end to end).

`--preview N` stores N synthetic mentions of the last 7 days (once: reused by later runs) in
an instance under DIR (SQLite) or the given PostgreSQL database, and times the live preview
(`preview.preview_query`) of a few queries over them, as the topic editor runs it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
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


PREVIEW_QUERIES = ("acme", '"acme cloud" OR #acme -jobs', "(globex OR initech) lang:fr",
                   "livraison*")


def measure_preview(count: int, data: str, database_url: str) -> None:
    os.environ["VOLIERE_DATA"] = data
    os.environ["DJANGO_SETTINGS_MODULE"] = "voliere.config.settings.prod"
    os.environ.setdefault("VOLIERE_LOG_LEVEL", "WARNING")
    if database_url:
        os.environ["VOLIERE_DATABASE_URL"] = database_url
    os.makedirs(data, exist_ok=True)
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from voliere.accounts.actions import create_organisation
    from voliere.accounts.models import Account
    from voliere.listening.models import Mention
    from voliere.listening.query import parse
    from voliere.listening.topics.preview import preview_query

    call_command("migrate", verbosity=0)
    organisation = (Account.objects.filter(handle_lower="benchorg").first()
                    or create_organisation(handle="benchorg", display_name="Bench"))
    have = Mention.objects.filter(network="internal").count()
    if have < count:
        now = timezone.now()
        batch = []
        for n, doc in enumerate(make_docs(count - have, seed=have), start=have):
            batch.append(Mention(
                network="internal", external_id=f"bench{n}", text=doc.text,
                author_handle=doc.author_handle, lang=doc.lang,
                published_at=now - timedelta(seconds=n * 6 * 86400 // count)))
            if len(batch) == 5000:
                Mention.objects.bulk_create(batch)
                batch = []
        Mention.objects.bulk_create(batch)
    print(f"{Mention.objects.count()} mentions stored")
    for text in PREVIEW_QUERIES:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            result = preview_query(organisation, parse(text))
            times.append(time.perf_counter() - started)
        print(f"{text!r}: {result.count} matches of {result.scanned} scanned"
              f"{' (capped)' if result.capped else ''}: best {min(times):.2f} s, "
              f"median {statistics.median(times):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--preview", type=int, default=0, metavar="MENTIONS")
    parser.add_argument("--data", default=".bench-data/topics")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if args.preview:
        measure_preview(args.preview, args.data, args.database_url)
        return
    figures = measure(args.posts)
    print(f"{figures['posts']} posts, 50 topics, {figures['matches']} matches: "
          f"prepare {figures['prepare_us']:.1f} µs/post, match {figures['match_us']:.1f} "
          f"µs/post, total {figures['total_us']:.1f} µs/post "
          f"({1e6 / figures['total_us']:,.0f} posts/s on one core)")


if __name__ == "__main__":
    main()
