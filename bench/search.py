"""Full-text search benchmark: index 1,000,000 posts, then time searches.

    python -m bench.search                       # SQLite, own copy in .bench-data/search/
    python -m bench.search --database-url postgres://postgres@127.0.0.1:5544/search_bench

Uses the synthetic instance of `bench/synthetic.py` (100,000 accounts, 1,000,000 posts).
On SQLite the cached instance of `bench.timelines` (`.bench-data/sqlite/`) is copied once
into `--data` so this benchmark's index never changes the database other benchmarks use;
on PostgreSQL give a database of its own (see bench/RESULTS.md, "Search").

1. Indexing: `reindex` of posts and people (the code path of `voliere manage reindex`),
   timed, with the index size. Done once, then kept (`--reindex` to redo it).
2. Queries: for each scenario (one word, three words, with `lang:`, `from:`, `since:`,
   `#tag`, a phrase) and each order (relevance, latest), `--queries` searches through
   `voliere.search.engine.search` as random active users (permissions included), 20
   posts per page: p50, p95, max, and how many results came back. Then the same for the
   whole page (`GET /search/?q=…&tab=posts` in-process: middleware, view, template).

The synthetic posts draw their words from a 40-word vocabulary: every word is in about
40% of the posts (~400,000 matches), which is the worst case for an inverted index.
Not part of the test suite (a smoke test runs it on 2,000 posts).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench.timelines import ROOT, _configure, _database_version, make_sessions, prepare

SHARED_SQLITE = ROOT / ".bench-data" / "sqlite"


@dataclass
class Timing:
    """Wall-clock and CPU milliseconds per search. The CPU time (this process's, which
    includes SQLite's work; PostgreSQL's server time is not in it) tells what a search
    costs when the shared machine is busy and the wall clock mostly measures waiting."""

    name: str
    order: str
    ms: list[float]
    results: list[int]
    cpu_ms: list[float]

    def pct(self, p: float, values: list[float] | None = None) -> float:
        ordered = sorted(self.ms if values is None else values)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]

    def line(self) -> str:
        return (
            f"| {self.name} | {self.order} | {statistics.median(self.ms):.1f} | "
            f"{self.pct(95):.1f} | {max(self.ms):.1f} | {self.pct(50, self.cpu_ms):.1f} | "
            f"{self.pct(95, self.cpu_ms):.1f} | {statistics.mean(self.results):.1f} |"
        )


def _timed(call: Callable[[], object]) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = call()
    return value, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _copy_shared_instance(args: argparse.Namespace) -> None:
    """SQLite: start from a copy of the timelines benchmark's cached instance, if any."""
    if args.database_url:
        return
    target = Path(args.data) / "sqlite"
    if (target / "voliere.sqlite3").exists() or not (SHARED_SQLITE / "meta.json").exists():
        return
    if args.posts != 1_000_000 or args.accounts != 100_000:
        return  # another shape: generated from scratch
    target.mkdir(parents=True, exist_ok=True)
    print(f"copying the cached instance {SHARED_SQLITE} → {target}")
    for name in ("voliere.sqlite3", "meta.json", "secret_key"):
        if (SHARED_SQLITE / name).exists():
            shutil.copy2(SHARED_SQLITE / name, target / name)


def build_index(data: Path, force: bool) -> dict:
    """Reindex posts and people once (kept in `search-index.json`), printing the figures."""
    from voliere.search import backends
    from voliere.search.indexing import _remember_existing_tags, reindex
    from voliere.search.kinds import get

    marker = data / "search-index.json"
    if marker.exists() and not force:
        built = json.loads(marker.read_text())
        print(f"reusing the index built in {built['seconds']:.0f} s ({built['documents']:,} docs)")
        return built
    reports = []
    for name in ("posts", "people"):
        last = [time.perf_counter()]

        def progress(done: int, last: list[float] = last, name: str = name) -> None:
            if done % 100_000 == 0:
                now = time.perf_counter()
                print(f"  {name}: {done:,} ({(now - last[0]):.1f} s for the last 100,000)")
                last[0] = now

        report = reindex(get(name), progress=progress)
        reports.append(report)
        print(
            f"indexed {report.objects:,} {name} ({report.documents:,} documents: reposts "
            f"have none) in {report.seconds:.1f} s ({report.objects / report.seconds:,.0f}/s)"
        )
    _remember_existing_tags()
    size = backends.backend().size_bytes()
    built = {
        "documents": sum(r.documents for r in reports),
        "seconds": sum(r.seconds for r in reports),
        "per_kind": {r.kind: [r.documents, r.seconds] for r in reports},
        "size_bytes": size,
    }
    marker.write_text(json.dumps(built))
    print(f"index size (all search tables): {size / 1_048_576:.0f} MiB")
    return built


def scenarios(rng: random.Random, prolific: str, since: str) -> list[tuple[str, callable]]:
    from bench.synthetic import TAGS, WORDS

    def words(k: int) -> str:
        return " ".join(rng.sample(WORDS, k))

    return [
        ("1 word", lambda: words(1)),
        ("3 words", lambda: words(3)),
        ("1 word lang:en", lambda: f"{words(1)} lang:en"),
        ("1 word lang:fr (no match)", lambda: f"{words(1)} lang:fr"),
        ("3 words from:<most active author>", lambda: f"{words(3)} from:{prolific}"),
        ("1 word since:<7 days ago>", lambda: f"{words(1)} since:{since}"),
        ("3 words since: lang:en", lambda: f"{words(3)} since:{since} lang:en"),
        ("#tag + 1 word", lambda: f"#{rng.choice(TAGS)} {words(1)}"),
        ("2-word phrase", lambda: f'"{words(2)}"'),
        ("1 word -1 word", lambda: f"{words(1)} -{words(1)}"),
    ]


def time_engine(meta: dict, count: int, rng: random.Random) -> list[Timing]:
    from django.utils import timezone

    from voliere.accounts.models import Account
    from voliere.search.engine import search

    viewers = list(Account.objects.filter(pk__in=meta["active_ids"]))
    prolific = Account.objects.order_by("-posts_count").values_list("handle", flat=True)[0]
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    timings = []
    for name, make in scenarios(rng, prolific, since):
        for order in ("relevance", "latest"):
            search(rng.choice(viewers), make(), kinds=["posts"], order=order)  # warm
            ms, sizes, cpu = [], [], []
            for _ in range(count):
                query, viewer = make(), rng.choice(viewers)
                found, wall_ms, cpu_ms = _timed(
                    lambda q=query, v=viewer, o=order: search(v, q, kinds=["posts"], order=o)
                )
                ms.append(wall_ms)
                cpu.append(cpu_ms)
                sizes.append(len(found.by_kind["posts"].items))
            timing = Timing(name, order, ms, sizes, cpu)
            print(timing.line(), flush=True)
            timings.append(timing)
    return timings


def time_pages(sessions: list[str], count: int, rng: random.Random) -> None:
    """The whole search page, in-process (no HTTP): posts tab, and the "all" tab."""
    from django.test import Client

    from bench.synthetic import WORDS

    client = Client()
    for tab in ("posts", "all"):
        for order in ("relevance", "latest"):
            ms, cpu = [], []
            for _ in range(count):
                client.cookies["sessionid"] = rng.choice(sessions)
                params = {
                    "q": " ".join(rng.sample(WORDS, rng.choice((1, 3)))),
                    "tab": tab,
                    "order": order,
                }
                response, wall_ms, cpu_ms = _timed(lambda p=params: client.get("/search/", p))
                ms.append(wall_ms)
                cpu.append(cpu_ms)
                assert response.status_code == 200, response.status_code
            timing = Timing(f"whole page, tab={tab}", order, ms, [0], cpu)
            print(timing.line(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT / ".bench-data" / "search"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--active-users", type=int, default=1_000)
    parser.add_argument("--queries", type=int, default=100, help="per scenario and order")
    parser.add_argument("--pages", type=int, default=30, help="whole pages per tab and order")
    parser.add_argument("--reindex", action="store_true", help="rebuild the index")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    _copy_shared_instance(args)
    data = _configure(args)
    from bench.machine import describe, load

    print(describe(_database_version()))
    meta = prepare(args, data)
    built = build_index(data, args.reindex)
    rng = random.Random(args.seed)
    print(f"\nload average before queries: {load()}")
    print("| scenario | order | p50 ms | p95 ms | max ms | CPU p50 | CPU p95 | results/page |")
    print("|---|---|---|---|---|---|---|---|")
    timings = time_engine(meta, args.queries, rng)
    if args.pages:
        time_pages(make_sessions(meta["active_ids"]), args.pages, rng)
    worst = max(timings, key=lambda t: t.pct(95))
    print(
        f"\nindex: {built['documents']:,} documents in {built['seconds']:.0f} s, "
        f"{built['size_bytes'] / 1_048_576:.0f} MiB; worst search p95 {worst.pct(95):.1f} ms "
        f"({worst.name}, {worst.order}), CPU p95 {worst.pct(95, worst.cpu_ms):.1f} ms; "
        f"load average after: {load()}"
    )


if __name__ == "__main__":
    main()
