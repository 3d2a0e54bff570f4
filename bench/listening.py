"""Listening benchmark: synthetic posts through `ingest()` end to end, into the database.

    python -m bench.listening                          # SQLite, fresh file in .bench-data/
    python -m bench.listening --database-url postgres://postgres@127.0.0.1:5544/listening
    python -m bench.listening --posts 200000 --workers 1

Generates `--posts` realistic posts (French and English, brand, products, competitors,
hashtags, @mentions, emoji, questions, complaints and praise; texts from
`../shared/data/sentiment/` are mixed in when that folder exists), 50 topics of one
organisation with realistic queries (brand, products, competitors, exact phrases, NOT,
hashtags, `lang:`), then times `ingest()` over all of them with the default model:
enrichment, dedup, insert, matching, match saving, hour counters, inbox routing — the
code path of every source. Prints posts/s end to end and the split: enrichment (the NLP
call), matching (the compiled topics), and the rest (database, Python around it).

`--workers N` (default 1) runs the enrichment in N processes ahead of the writer
(`voliere.listening.ingest.ingest_pipelined`, 2,000 posts per transaction), so NLP and
database work overlap on the machine's two cores; `--workers 0` runs everything in this
process through `ingest()` (500 posts per transaction). The split per step is timed by
wrapping the real functions; `--profile N` prints the writer's N costliest functions.
Not part of the test suite (a smoke test runs it on 300 posts).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import resource
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

from bench.machine import describe, load
from bench.timelines import ROOT, _configure, _database_version

SHARED_SENTIMENT = ROOT.parent / "shared" / "data" / "sentiment"

BRAND = "Acme"
PRODUCTS = ["Rocket", "Anvil", "Jetpack", "Magnet", "Roller", "Catapult", "Pogo", "Glue"]
COMPETITORS = ["Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Cyberdyne",
               "Tyrell", "Soylent", "Wonka"]
FR = [
    "La nouvelle {brand} {product} est géniale, livraison rapide {emoji}",
    "Franchement déçu par {brand}, mon {product} est tombé en panne au bout de 2 jours",
    "Quelqu'un sait si le {brand} {product} marche avec le chargeur {rival} ?",
    "{rival} ou {brand} pour un {product} ? J'hésite encore",
    "Le service client {brand} ne répond jamais, c'est honteux #{brand}Fail",
    "Merci @{brand}Support pour l'échange rapide de mon {product} !",
    "Promo sur le {product} chez {rival} ce week-end #{rival}{product}",
    "Je viens de tester le {product} de {rival}, rien à voir avec {brand}",
    "Rupture de stock du {brand} {product} partout à Lyon 😡",
    "Article intéressant sur le marché des {product}s en France",
    "Réunion d'équipe ce matin, rien à signaler",
    "Il fait beau à Paris aujourd'hui ☀️",
]
EN = [
    "Just got my new {brand} {product}, absolutely love it {emoji} #{brand}{product}",
    "Worst purchase ever. {brand} {product} broke after a week, want a refund",
    "Does the {brand} {product} ship to Canada? @{brand}Support",
    "{rival} vs {brand}: which {product} should I buy?",
    "Huge thanks to @{brand}Support for fixing my {product} so fast",
    "{rival} just launched a new {product}, looks promising #{rival}Launch",
    "The {product} from {rival} is overpriced and flimsy",
    "Reviewing the {brand} {product} live tonight, join us! #unboxing",
    "Stock market is crazy today",
    "Anyone else stuck in traffic this morning?",
    "Our {rival} {product} has been working perfectly for a year",
    "Why is {brand} customer service so slow??",
]
# Steps of the ingestion timed on their own, once per batch (function names in ingest.py).
STEPS = {"matching": "match_pairs", "dedup query": "_existing", "mention insert": "_insert",
         "match saving + hour counters": "save_matches", "inbox routing": "_route"}
EMOJI = ["🚀", "😍", "👍", "🔥", "", "", ""]


def topic_queries() -> list[tuple[str, str, str]]:
    """50 (name, kind, query) in the listening query language."""
    topics = [
        ("Acme", "brand", f'{BRAND.lower()} OR #{BRAND.lower()} OR @{BRAND.lower()}support'),
        ("Acme complaints", "brand", f'{BRAND.lower()} (panne OR broke OR refund OR '
                                      'remboursement OR honteux OR worst)'),
        ("Acme support", "brand", '@acmesupport OR "service client acme" OR '
                                  '"acme customer service"'),
        ("Acme FR", "brand", "acme lang:fr"),
        ("Acme EN", "brand", "acme lang:en"),
        ("Acme fail", "campaign", "#acmefail"),
        ("Acme unboxing", "campaign", "#unboxing acme"),
        ("Acme stock", "brand", 'acme ("rupture de stock" OR "out of stock")'),
    ]
    for product in PRODUCTS:
        p = product.lower()
        topics.append((f"Acme {product}", "product", f'"acme {p}" OR #acme{p}'))
        topics.append((f"{product} market", "other", f"{p} NOT acme -job"))
    for rival in COMPETITORS:
        r = rival.lower()
        topics.append((rival, "competitor", f"{r} OR #{r}launch OR #{r}{PRODUCTS[0].lower()}"))
        topics.append((f"{rival} vs Acme", "competitor", f"{r} acme"))
    topics.append(("Questions FR", "other", 'acme (quelqu OR "est-ce que" OR sait)'))
    topics.append(("Paris", "other", "paris OR lyon"))
    topics.append(("Acme praise EN", "brand", "acme (love OR great OR thanks) lang:en"))
    topics.append(("Acme praise FR", "brand", "acme (géniale OR merci OR adore) lang:fr"))
    topics.append(("Acme jobs", "other", "acme (job OR emploi OR recrute) -stock"))
    topics.append(("Support team", "person", "from:acmesupport OR from:techfan"))
    return topics[:50]


def texts_from_shared(limit: int, rng: random.Random) -> list[tuple[str, str]]:
    """(text, lang) of real labelled tweets, when the shared data is there."""
    found: list[tuple[str, str]] = []
    for lang in ("fr", "en"):
        path = SHARED_SENTIMENT / lang / "train_text.txt"
        if path.is_file():
            with path.open(encoding="utf-8", errors="replace") as lines:
                found.extend((line.strip(), lang) for line in islice(lines, limit)
                             if line.strip())
    rng.shuffle(found)
    return found


def synthetic_posts(count: int, *, seed: int, run_id: str) -> list:
    """`count` IncomingPosts over the last 7 days, ~20% from the shared real tweets."""
    from voliere.listening.records import IncomingPost

    rng = random.Random(seed)
    real = texts_from_shared(count // 10 + 1, rng)
    start = datetime.now(UTC) - timedelta(days=7)
    posts = []
    for n in range(count):
        if real and n % 5 == 4:
            text, lang = real[(n // 5) % len(real)]
        else:
            lang = "fr" if rng.random() < 0.5 else "en"
            template = rng.choice(FR if lang == "fr" else EN)
            text = template.format(brand=BRAND, product=rng.choice(PRODUCTS),
                                   rival=rng.choice(COMPETITORS), emoji=rng.choice(EMOJI))
            if rng.random() < 0.3:
                text += f" @{rng.choice(['marie', 'tom_b', 'news24', 'techfan'])}"
        posts.append(IncomingPost(
            network="bench", external_id=f"{run_id}-{n}", text=text,
            published_at=start + timedelta(seconds=n * 604_800 // max(count, 1)),
            author_handle=f"user{rng.randrange(count // 20 + 1)}",
            author_followers=int(rng.paretovariate(1.2) * 50),
            lang=lang if rng.random() < 0.3 else "",
        ))
    return posts


def _fresh_sqlite(data: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        (data / f"voliere.sqlite3{suffix}").unlink(missing_ok=True)


def _instrument(clock: dict[str, float], cpu_clock: dict[str, float]) -> None:
    """Time each step inside the real ingestion: wrappers around the functions it calls
    once per batch (never per post: the clocks would cost more than what they time)."""
    from voliere.listening import ingest as ingest_module
    from voliere.listening.pipeline import enrich as enrich_module

    real_enrich = enrich_module.enrich

    def timed(name: str, function: Callable) -> Callable:
        def wrapper(*args: object, **kwargs: object) -> object:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                clock[name] += time.perf_counter() - started
                cpu_clock[name] += time.process_time() - cpu

        return wrapper

    for name, attribute in STEPS.items():
        setattr(ingest_module, attribute, timed(name, getattr(ingest_module, attribute)))

    enrich_module.enrich = timed("enrichment", real_enrich)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT / ".bench-data" / "listening"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1,
                        help="enrichment processes ahead of the writer (ingest_pipelined); "
                             "0: everything in this process (ingest())")
    parser.add_argument("--batch", type=int, default=0,
                        help="posts per transaction with --workers (default: "
                             "ingest_pipelined's 2,000)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="cProfile this process (the writer) and print its N costliest "
                             "functions by own time")
    args = parser.parse_args(argv)
    data = _configure(args)
    if not args.database_url:
        _fresh_sqlite(data)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from voliere.accounts.actions import create_organisation
    from voliere.listening.ingest import ingest, ingest_pipelined
    from voliere.listening.models import Mention, Source, SourceKind, Topic, TopicMatch

    run_id = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    organisation = create_organisation(handle=f"acme{run_id}"[:30], display_name="Acme")
    for name, kind, query in topic_queries():
        Topic.objects.create(organisation=organisation, name=name, kind=kind, query=query)
    source = Source.objects.create(organisation=organisation, kind=SourceKind.IMPORT,
                                   name="bench")
    print(describe(_database_version()))
    generated = time.perf_counter()
    posts = synthetic_posts(args.posts, seed=args.seed, run_id=run_id)
    print(f"generated {len(posts):,} posts in {time.perf_counter() - generated:.1f} s "
          f"(not timed); {len(topic_queries())} topics")

    from voliere.listening.pipeline.enrich import enrich

    enrich(["warm-up: chargement du modèle", "warm-up: loading the model"], ["", ""])
    clock = dict.fromkeys(["enrichment", *STEPS], 0.0)
    cpu_clock = dict(clock)
    _instrument(clock, cpu_clock)
    profiler = cProfile.Profile() if args.profile else None
    children = _children_cpu()
    cpu, started = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    if args.workers:
        result = ingest_pipelined(posts, source=source, workers=args.workers,
                                  **({"batch_size": args.batch} if args.batch else {}))
    else:
        result = ingest(posts, source=source)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    children = _children_cpu() - children
    matches = TopicMatch.objects.filter(topic__organisation=organisation).count()
    stored = Mention.objects.filter(network="bench", external_id__startswith=run_id).count()
    assert result.new == stored == len(posts), (result, stored)
    rate = len(posts) / seconds
    print(f"ingested {result.new:,} posts ({matches:,} matches) in {seconds:.2f} s: "
          f"{rate:,.0f} posts/s end to end; this process's CPU {cpu:.2f} s "
          f"({len(posts) / cpu:,.0f} posts per CPU-second)")
    if args.workers:  # enrichment ran in the workers: their own measure, overlapped
        cpu_clock["enrichment"] = result.enrichment_cpu
    writer_cpu = cpu - (0 if args.workers else cpu_clock["enrichment"])
    clock["the rest (Python around them)"] = seconds - sum(clock.values())
    cpu_clock["the rest (Python around them)"] = writer_cpu - sum(
        spent for name, spent in cpu_clock.items() if name != "enrichment")
    where = f"{args.workers} worker process(es)" if args.workers else "this process"
    print(f"  enrichment in {where}, the rest in the writer; writer CPU {writer_cpu:.2f} s "
          f"({len(posts) / writer_cpu:,.0f} posts per CPU-second)")
    print("  | step | wall s | share of wall | CPU s | posts per CPU-second |")
    for name, spent in clock.items():
        wall = ("overlapped", "") if args.workers and name == "enrichment" else (
            f"{spent:.2f}", f"{spent / seconds:.0%}")
        label = "the rest (Python around them, waiting for the workers)" if (
            args.workers and name.startswith("the rest")) else name
        print(f"  | {label} | {wall[0]} | {wall[1]} | {cpu_clock[name]:.2f} | "
              f"{len(posts) / max(cpu_clock[name], 1e-9):,.0f} |")
    if args.workers:
        print(f"  worker processes, all CPU (start, django.setup, model loading, pickling "
              f"included): {children:.2f} s; writer + workers {cpu + children:.2f} CPU s = "
              f"{len(posts) / (cpu + children):,.0f} posts per CPU-second")
    print(f"load average at end: {load()}")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the enrichment workers, once
    their pool has shut down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
