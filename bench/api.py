"""Mastodon API benchmark: `GET /api/v1/timelines/home?limit=40` over real HTTP.

    python -m bench.api                       # SQLite in .bench-data/sqlite/
    python -m bench.api --database-url postgres://postgres@127.0.0.1:5544/postgres

Reuses the foundation benchmark's synthetic instance (bench/synthetic.py via
`bench.timelines.prepare`: 100,000 accounts, 1,000,000 posts, cached in `.bench-data/`).
Each active user gets a personal access token (`read` scope) from the OAuth actions; the
server is the one `voliere serve` starts (uvicorn, `voliere.server.web.uvicorn_argv`,
2 workers by default, prod settings) on loopback, and an asyncio + httpx client with N
concurrent workers fetches the home timeline as random users for `--duration` seconds.
Also measured in-process: the endpoint through Django's handler without HTTP, split
into query and serialization. Not part of the test suite.

The first seconds fill each worker's caches (grants, status and account texts: about
26,000 statuses and 15,000 authors on the first pages of 1,000 people); the warm-up line
shows that cold phase, the measured lines the steady state.

`--listen-nodelay`: bind the listening socket here with TCP_NODELAY and hand it to uvicorn
(`--fd`). With `--workers 2`, uvicorn binds a socket whose protocol number is 0, so asyncio
never sets TCP_NODELAY on accepted connections; every keep-alive response (headers, then
body, in two writes) then waits for the client's delayed ACK: ≈ 40 ms per request. On
Linux accepted sockets inherit the listener's TCP_NODELAY, which removes the stall.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import time

from bench.timelines import (
    ROOT,
    LoadResult,
    MemoryWatch,
    _configure,
    _database_version,
    _env,
    _ints,
    _wait_for,
    prepare,
)

URL = "/api/v1/timelines/home?limit=40"


def make_tokens(active_ids: list[int]) -> list[str]:
    """One fresh `read` token per active user, as `voliere token create` issues them."""
    from voliere.accounts.models import User
    from voliere.oauth import actions
    from voliere.oauth.models import AccessToken, Application

    Application.objects.filter(name="bench.api").delete()
    app = actions.register_application(
        name="bench.api", redirect_uris="urn:ietf:wg:oauth:2.0:oob", scopes="read"
    )
    AccessToken.objects.filter(application=app).delete()
    return [
        actions.issue_token(application=app, user=user, scopes=["read"],
                            grant_type="personal").secret
        for user in User.objects.filter(account_id__in=active_ids)
    ]


def in_process(tokens: list[str], count: int) -> None:
    """The endpoint through Django's test client (no HTTP), and its two halves: the
    compiled queries (`home_rows`) and the assembly of cached texts (`render_rows`)."""
    from django.test import Client

    from voliere.accounts.models import Account
    from voliere.core.pagination import Cursor
    from voliere.mastodon import status_cache
    from voliere.mastodon.timeline_queries import home_rows
    from voliere.oauth.tokens import authenticate

    rng = random.Random(2)
    viewers = [authenticate(t).account for t in tokens[:50]]
    query_ms, serial_ms = [], []

    class _Request:  # what the serializer reads from a request
        def build_absolute_uri(self, path: str = "/") -> str:
            return "http://127.0.0.1" + path

        def get_host(self) -> str:
            return "127.0.0.1"

        scheme = "http"
        META = {"HTTP_HOST": "127.0.0.1"}

        def is_secure(self) -> bool:
            return False

    request = _Request()
    for _ in range(count):
        viewer = rng.choice(viewers)
        started = time.perf_counter()
        page = home_rows(viewer, Cursor(limit=40))
        middle = time.perf_counter()
        try:
            status_cache.render_rows(page.items, viewer, request)
        except Exception:  # noqa: BLE001 - a stub request may not satisfy the serializer
            serial_ms.append(float("nan"))
        else:
            serial_ms.append((time.perf_counter() - middle) * 1000)
        query_ms.append((middle - started) * 1000)
    client = Client()
    full = []
    for _ in range(count):
        token = rng.choice(tokens)
        started = time.perf_counter()
        response = client.get(URL, headers={"Authorization": f"Bearer {token}"})
        full.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:200]
    assert isinstance(viewers[0], Account)
    print(
        f"in-process, {count} pages of 40 (first pass: cold caches): home_rows() median "
        f"{statistics.median(query_ms):.1f} ms; render_rows() median "
        f"{statistics.median(serial_ms):.1f} ms; whole GET "
        f"{URL} through Django median {statistics.median(full):.1f} ms, p99 "
        f"{sorted(full)[int(len(full) * 0.99) - 1]:.1f} ms, body {len(response.content) / 1024:.0f}"
        " KiB"
    )


async def _load(port: int, tokens: list[str], concurrency: int, seconds: float) -> LoadResult:
    from bench.timelines import load_over_http

    return await load_over_http(
        port,
        URL,
        lambda rng: {"Authorization": f"Bearer {rng.choice(tokens)}"},
        concurrency,
        seconds,
    )


def serve_and_load(args: argparse.Namespace, tokens: list[str]) -> None:
    from bench.machine import load
    from voliere.server.web import uvicorn_argv

    command = uvicorn_argv(host="127.0.0.1", port=args.port, workers=args.workers,
                           access_log=False)
    listener = None
    if args.listen_nodelay:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        listener.bind(("127.0.0.1", args.port))
        listener.listen(2048)
        listener.set_inheritable(True)
        at = command.index("--host")
        del command[at:at + 4]  # --host H --port P
        command += ["--fd", str(listener.fileno())]
    proc = subprocess.Popen(command, cwd=ROOT, env=_env(),
                            pass_fds=(listener.fileno(),) if listener else ())
    watch = MemoryWatch(proc.pid)
    try:
        _wait_for(args.port, proc)
        watch.start()
        how = " (listening socket with TCP_NODELAY)" if listener else ""
        print(f"uvicorn --workers {args.workers}{how} (load average {load()}), GET {URL}:")
        warm = asyncio.run(_load(args.port, tokens, 4, args.warmup))
        print("  warm-up, cold caches: " + warm.line().replace("pages/s", "requests/s"))
        for concurrency in args.concurrency:
            result = asyncio.run(_load(args.port, tokens, concurrency, args.duration))
            print("  " + result.line().replace("pages/s", "requests/s"))
    finally:
        watch.stop.set()
        time.sleep(0.3)
        proc.terminate()
        proc.wait(timeout=30)
        if listener:
            listener.close()
    print("  " + watch.summary())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT / ".bench-data"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--active-users", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=_ints, default=[4, 16])
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=30)
    parser.add_argument("--in-process", type=int, default=100, help="pages measured in-process")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--skip", default="", help="comma-separated: http, inprocess")
    parser.add_argument("--listen-nodelay", action="store_true",
                        help="bind the socket here with TCP_NODELAY (see the docstring)")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    data = _configure(args)
    from bench.machine import describe

    print(describe(_database_version()))
    meta = prepare(args, data)
    print(f"data: {meta['shape']['accounts']:,} accounts, {meta['posts']:,} posts, "
          f"{meta['timeline_entries']:,} timeline entries for {len(meta['active_ids']):,} "
          "active users")
    tokens = make_tokens(meta["active_ids"])
    if "inprocess" not in skip:
        in_process(tokens, args.in_process)
    if "http" not in skip:
        serve_and_load(args, tokens)


if __name__ == "__main__":
    sys.exit(main())
