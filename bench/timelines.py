"""Home timeline benchmark: page latency and throughput over HTTP, and fan-out latency.

    python -m bench.timelines                       # SQLite in .bench-data/sqlite/
    python -m bench.timelines --database-url postgres://postgres@127.0.0.1:5544/postgres

The synthetic instance (see bench/synthetic.py) is generated once and kept (`--data`);
reruns reuse it. Then, for each uvicorn worker count, the real ASGI server is started
on loopback with the prod settings, and an asyncio + httpx client with N concurrent
workers fetches `/?limit=40` as random signed-in active users for `--duration` seconds.
Last, a post by the account with 10,000 followers is published while a real
`db_worker` runs, and the database is polled until every follower's home holds it.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class LoadResult:
    concurrency: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    mean_bytes: float = 0.0
    client_cpu_s: float = 0.0

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]

    def line(self) -> str:
        return (
            f"c={self.concurrency:<3} {self.requests / self.seconds:7.1f} pages/s  "
            f"p50 {self.pct(50):6.1f} ms  p95 {self.pct(95):6.1f} ms  p99 {self.pct(99):6.1f} ms  "
            f"n={self.requests} errors={self.errors} body={self.mean_bytes / 1024:.1f} KiB "
            f"client-cpu={self.client_cpu_s / self.seconds:.0%}"
        )


def _configure(args: argparse.Namespace) -> Path:
    backend = "postgres" if args.database_url else "sqlite"
    data = (Path(args.data) / backend).resolve()
    data.mkdir(parents=True, exist_ok=True)
    os.environ["VOLIERE_DATA"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "voliere.config.settings.prod"
    os.environ["VOLIERE_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ.setdefault("VOLIERE_LOG_LEVEL", "WARNING")
    if args.database_url:
        os.environ["VOLIERE_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("VOLIERE_DATABASE_URL", None)
    import django

    django.setup()
    return data


def _database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]} (WAL)"


def prepare(args: argparse.Namespace, data: Path) -> dict:
    """Generate the instance unless `meta.json` says this database already holds it."""
    from django.core.management import call_command

    from bench import synthetic

    # Every run: the code may have gained migrations since the data was generated, and
    # the cache table (DatabaseCache) is not a migration.
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    meta_file = data / "meta.json"
    shape = synthetic.Shape(
        accounts=args.accounts, posts=args.posts, active_users=args.active_users
    )
    if meta_file.exists():
        meta = json.loads(meta_file.read_text())
        if meta["shape"] == shape.__dict__:
            print(f"reusing the instance in {data} (generated in {meta['seconds']:.0f} s)")
            return meta
        sys.exit(f"{meta_file} describes another shape; delete the data (and database) first")
    print(f"generating {shape} ...")
    made = synthetic.generate(shape)
    meta = {
        "shape": shape.__dict__,
        "star_id": made.star_id,
        "active_ids": made.active_ids,
        "follows": made.follows,
        "posts": made.posts,
        "timeline_entries": made.timeline_entries,
        "seconds": made.seconds,
    }
    meta_file.write_text(json.dumps(meta))
    print(f"generated in {made.seconds:.0f} s")
    return meta


def make_sessions(active_ids: list[int]) -> list[str]:
    """A fresh signed-in session per active user, as `django.contrib.auth.login` writes it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from voliere.accounts.models import User

    Session.objects.all().delete()
    keys = []
    for user in User.objects.filter(account_id__in=active_ids):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "voliere.accounts.auth.EmailOrHandleBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def in_process(meta: dict, sessions: list[str], count: int) -> None:
    """The query part (`home_timeline`) alone, then the whole request through Django's
    handler in this process (middleware, session, view, template) without HTTP."""
    from django.db import reset_queries
    from django.test import Client

    from voliere.accounts.models import Account
    from voliere.core.pagination import Cursor
    from voliere.timelines.queries import home_timeline

    rng = random.Random(1)
    viewers = list(Account.objects.filter(pk__in=meta["active_ids"]))
    query_ms, sizes = [], []
    for _ in range(count):
        viewer = rng.choice(viewers)
        started = time.perf_counter()
        page = home_timeline(viewer, Cursor(limit=40))
        query_ms.append((time.perf_counter() - started) * 1000)
        sizes.append(len(page.items))
    reset_queries()
    client = Client()
    full_ms: dict[int, list[float]] = {40: [], 1: []}
    for n in range(count * 2):
        limit = 40 if n % 2 else 1
        client.cookies["sessionid"] = rng.choice(sessions)
        started = time.perf_counter()
        response = client.get("/", {"limit": limit})
        full_ms[limit].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    body_kib = len(response.content) / 1024
    per_card = (statistics.median(full_ms[40]) - statistics.median(full_ms[1])) / 39
    print(
        f"in-process, {count} pages: home_timeline() {_summary(query_ms)}, "
        f"{statistics.mean(sizes):.1f} posts/page; whole GET /?limit=40 {_summary(full_ms[40])}, "
        f"body {body_kib:.1f} KiB; GET /?limit=1 {_summary(full_ms[1])}; "
        f"so about {per_card:.2f} ms per extra card (query + template)"
    )
    _side_column(client, sessions, rng)


def _side_column(client, sessions: list[str], rng: random.Random, count: int = 5) -> None:
    """The side column that timeline pages load with a second request (htmx), if present."""
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("sidebar")
    except NoReverseMatch:
        return
    timings = []
    for _ in range(count):
        client.cookies["sessionid"] = rng.choice(sessions)
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    print(f"in-process, GET {url} (side column, second request of every timeline page): "
          + ", ".join(f"{t:.0f} ms" for t in timings))


def _summary(ms: list[float]) -> str:
    ordered = sorted(ms)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(ordered):.1f} ms, p99 {p99:.1f} ms"


async def load_over_http(
    port: int,
    path: str,
    headers_for: Callable[[random.Random], dict[str, str]],
    concurrency: int,
    seconds: float,
) -> LoadResult:
    """`concurrency` clients GET `path` back to back for `seconds` over keep-alive
    connections, each request with `headers_for(rng)` (a session cookie, a bearer token)."""
    import httpx

    latencies: list[float] = []
    errors = 0
    total_bytes = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30
    ) as client:

        async def worker(seed: int) -> None:
            nonlocal errors, total_bytes
            rng = random.Random(seed)
            while time.perf_counter() < deadline:
                headers = headers_for(rng)
                started = time.perf_counter()
                try:
                    response = await client.get(path, headers=headers)
                    ok = response.status_code == 200
                    total_bytes += len(response.content)
                except httpx.HTTPError:
                    ok = False
                latencies.append((time.perf_counter() - started) * 1000)
                errors += not ok

        cpu = time.process_time()
        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
    count = len(latencies)
    return LoadResult(
        concurrency, count, errors, elapsed, latencies, total_bytes / max(count, 1), cpu
    )


async def _load(port: int, sessions: list[str], concurrency: int, seconds: float) -> LoadResult:
    return await load_over_http(
        port,
        "/?limit=40",
        lambda rng: {"Cookie": f"sessionid={rng.choice(sessions)}"},
        concurrency,
        seconds,
    )


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def login_over_http(port: int) -> str:
    """Sign in as a synthetic user through the real form (`POST /login/`): the session
    cookie, checked on the home page. Proves the bench users and the login path work."""
    import httpx

    from bench.synthetic import LOGIN_HANDLES, PASSWORD

    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        client.get("/login/").raise_for_status()
        answer = client.post(
            "/login/",
            data={
                "identifier": LOGIN_HANDLES[0],
                "password": PASSWORD,
                "csrfmiddlewaretoken": client.cookies["csrftoken"],
            },
        )
        if answer.status_code != 302 or "sessionid" not in client.cookies:
            sys.exit(f"login through POST /login/ failed: {answer.status_code}")
        home = client.get("/?limit=40")
        if home.status_code != 200 or f"@{LOGIN_HANDLES[0]}" not in home.text:
            sys.exit(f"the home page after login answered {home.status_code}")
        return client.cookies["sessionid"]


def _wait_for(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    sys.exit("the server did not answer /healthz in time")


class MemoryWatch(threading.Thread):
    """Samples the summed RSS of a process tree; keeps the peak and per-process VmHWM."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_total_kb = 0
        self.peak_anon_kb = 0
        self.hwm_kb: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        from bench.machine import peak_rss_kb, process_tree, rss_kb

        while not self.stop.wait(0.25):
            pids = process_tree(self.pid)
            self.peak_total_kb = max(self.peak_total_kb, rss_kb(pids))
            self.peak_anon_kb = max(self.peak_anon_kb, rss_kb(pids, "RssAnon"))
            for pid in pids:
                self.hwm_kb[pid] = max(self.hwm_kb.get(pid, 0), peak_rss_kb(pid))

    def summary(self) -> str:
        per = sorted(self.hwm_kb.values(), reverse=True)
        return (
            f"server peak RSS: {self.peak_total_kb / 1024:.0f} MiB summed over "
            f"{len(per)} processes (anonymous, without mapped DB pages: "
            f"{self.peak_anon_kb / 1024:.0f} MiB); per-process VmHWM (MiB): "
            + ", ".join(f"{kb / 1024:.0f}" for kb in per)
        )


def serve_and_load(args: argparse.Namespace, sessions: list[str], workers: int) -> None:
    from bench.machine import load

    port = args.port
    command = [
        sys.executable, "-m", "uvicorn", "voliere.config.asgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--no-access-log", "--log-level", "warning",
    ]
    proc = subprocess.Popen(command, cwd=ROOT, env=_env())
    watch = MemoryWatch(proc.pid)
    try:
        _wait_for(port, proc)
        watch.start()
        sessions = [*sessions, login_over_http(port)]
        asyncio.run(_load(port, sessions, 4, args.warmup))
        print(f"uvicorn --workers {workers} (load average {load()}):")
        for concurrency in args.concurrency:
            result = asyncio.run(_load(port, sessions, concurrency, args.duration))
            print("  " + result.line())
    finally:
        watch.stop.set()
        time.sleep(0.3)
        proc.terminate()
        proc.wait(timeout=30)
    print("  " + watch.summary())


def _follower_rows(post_id: int) -> int:
    from voliere.timelines.models import TimelineEntry

    return TimelineEntry.objects.filter(post_id=post_id).count()


def fan_out(meta: dict, runs: int) -> None:
    """Publish as the star with a real task worker running; time until all homes hold it."""
    from django_tasks_db.models import DBTaskResult

    from voliere.accounts.models import Account
    from voliere.posts.actions import publish_post
    from voliere.timelines import fanout

    star = Account.objects.get(pk=meta["star_id"])
    expected = star.followers_count + 1  # the followers and the author
    DBTaskResult.objects.all().delete()
    command = [
        sys.executable, "-m", "django", "db_worker", "--queue-name", "*",
        "--interval", "0.1", "--no-startup-delay",
    ]
    worker = subprocess.Popen(command, cwd=ROOT, env=_env())
    watch = MemoryWatch(worker.pid)
    watch.start()
    timings = []
    try:
        time.sleep(3)  # let the worker import Django and start polling
        for n in range(runs):
            started = time.perf_counter()
            post = publish_post(star, f"Fan-out benchmark post {n} #bench")
            while _follower_rows(post.id) < expected:
                if time.perf_counter() - started > 120:
                    sys.exit("fan-out did not complete within 120 s")
                time.sleep(0.01)
            timings.append(time.perf_counter() - started)
    finally:
        watch.stop.set()
        worker.terminate()
        worker.wait(timeout=30)
    print(
        f"fan-out to {expected - 1:,} followers, publish → in every home (worker polling "
        f"every 0.1 s): " + ", ".join(f"{t * 1000:.0f} ms" for t in timings)
        + f"; worker peak RSS {max(watch.hwm_kb.values(), default=0) / 1024:.0f} MiB"
    )
    raw = []
    for n in range(runs):
        post = publish_post(star, f"Raw fan-out benchmark post {n}")
        started = time.perf_counter()
        inserted = fanout.fan_out_post(post.id)
        raw.append(time.perf_counter() - started)
        assert inserted == expected, inserted
    DBTaskResult.objects.all().delete()  # the tasks those publishes enqueued
    print("fan_out_post() alone: " + ", ".join(f"{t * 1000:.0f} ms" for t in raw))


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT / ".bench-data"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--active-users", type=int, default=1_000)
    parser.add_argument("--workers", type=_ints, default=[1, 2, 4])
    parser.add_argument("--concurrency", type=_ints, default=[4, 16])
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--fanout-runs", type=int, default=3)
    parser.add_argument("--in-process", type=int, default=200, help="pages measured in-process")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip", default="", help="comma-separated: http, fanout, inprocess")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    data = _configure(args)
    from bench.machine import describe

    print(describe(_database_version()))
    meta = prepare(args, data)
    print(
        f"data: {meta['shape']['accounts']:,} accounts, {meta['follows']:,} follows, "
        f"{meta['posts']:,} posts, {meta['timeline_entries']:,} timeline entries for "
        f"{len(meta['active_ids']):,} active users; star account id {meta['star_id']}"
    )
    sessions = make_sessions(meta["active_ids"])
    if "inprocess" not in skip:
        in_process(meta, sessions, args.in_process)
    if "http" not in skip:
        for workers in args.workers:
            serve_and_load(args, sessions, workers)
    if "fanout" not in skip:
        fan_out(meta, args.fanout_runs)


if __name__ == "__main__":
    main()
