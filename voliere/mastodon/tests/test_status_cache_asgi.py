"""Mastodon API requests on persistent threads (`voliere.mastodon.asgi`), through the real
ASGI application: same answers, same host validation and rate-limit headers, and one
database connection per thread instead of one per request."""

from __future__ import annotations

import asyncio

import pytest
from django.db import connection
from django.db.backends.signals import connection_created

from voliere.accounts.actions import follow_account
from voliere.config.asgi import application
from voliere.posts.actions import publish_post

pytestmark = pytest.mark.django_db(transaction=True)


def call(path: str, *, token: str = "", host: str = "testserver", query: str = ""
         ) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request through the ASGI application, as uvicorn would make it."""
    headers = [(b"host", host.encode())]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(),
        "query_string": query.encode(), "root_path": "", "headers": headers,
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
    }
    sent: list[dict] = []

    async def run() -> None:
        finished = asyncio.Event()
        first = True

        async def receive() -> dict:
            nonlocal first
            if first:
                first = False
                return {"type": "http.request", "body": b"", "more_body": False}
            await finished.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)

        await application(scope, receive, send)
        finished.set()

    asyncio.run(run())
    start = sent[0]
    headers_out = {k.decode().lower(): v.decode("latin1") for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], headers_out, body


def test_home_through_the_api_threads(api_token, alice, bob):
    follow_account(alice.account, bob.account)
    post = publish_post(bob.account, "over ASGI")
    from voliere.timelines.fanout import fan_out_post

    fan_out_post(post.id)
    token = api_token(alice, "read")
    status, headers, body = call("/api/v1/timelines/home", token=token, query="limit=5")
    assert status == 200, body
    assert str(post.id).encode() in body
    assert headers["content-type"].startswith("application/json")
    assert int(headers["x-ratelimit-remaining"]) < int(headers["x-ratelimit-limit"])
    assert headers["x-frame-options"] == "DENY"  # the usual middleware ran


def test_bad_token_host_and_web_paths(api_token, alice):
    assert call("/api/v1/timelines/home", token="nope")[0] == 401
    assert call("/api/v1/timelines/home", token=api_token(alice, "read"),
                host="evil.example")[0] == 400
    status, _, body = call("/healthz")  # not an API path: Django's own handler
    assert status == 200, body


def test_connections_are_reused_across_requests(api_token, alice):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL connections come from a pool: each checkout signals")
    token = api_token(alice, "read")
    opened: list[int] = []

    def count(**kwargs: object) -> None:
        opened.append(1)

    connection_created.connect(count, weak=False)
    try:
        for _ in range(12):
            assert call("/api/v1/timelines/home", token=token)[0] == 200
    finally:
        connection_created.disconnect(count)
    # At most one per pool thread (8), where Django's handler opened one per request.
    assert len(opened) <= 8
