"""The transport itself: WebSocket subscriptions, several server processes on one
database, and a prompt shutdown with streams open."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from functools import partial

import pytest
from websockets.sync.client import connect as _connect

from tests.live_server import free_port
from voliere.accounts.actions import follow_account
from voliere.posts.actions import delete_post, publish_post
from voliere.streaming.tests.clients import SSEClient

pytestmark = pytest.mark.django_db(transaction=True)


# The handshake is set-up, not delivery: allow for a loaded CI machine.
connect = partial(_connect, open_timeout=30)


def _ws_url(server_url: str, query: str) -> str:
    return server_url.replace("http://", "ws://") + f"/api/v1/streaming?{query}"


def _synced(ws) -> None:
    """Requests are handled in order and only errors are answered: a deliberately bad
    request's error proves the ones before it are in place."""
    ws.send(json.dumps({"type": "ping"}))
    assert json.loads(ws.recv(timeout=2))["status"] == 400


def test_websocket_subscribe_receive_unsubscribe(asgi_server, stream_token, alice, bob):
    token = stream_token(alice, "read")
    with connect(_ws_url(asgi_server.url, f"access_token={token}")) as ws:
        ws.send(json.dumps({"type": "subscribe", "stream": "hashtag", "tag": "Launch"}))
        _synced(ws)
        post = publish_post(bob.account, "Lift-off #launch")
        message = json.loads(ws.recv(timeout=1))
        assert message["stream"] == ["hashtag", "launch"]
        assert message["event"] == "update"
        assert json.loads(message["payload"])["id"] == str(post.id)  # a JSON string payload

        delete_post(bob.account, post)
        message = json.loads(ws.recv(timeout=1))
        assert (message["event"], message["payload"]) == ("delete", str(post.id))

        ws.send(json.dumps({"type": "unsubscribe", "stream": "hashtag", "tag": "launch"}))
        _synced(ws)
        publish_post(bob.account, "Second stage #launch")
        with pytest.raises(TimeoutError):
            ws.recv(timeout=0.8)


def test_websocket_token_as_subprotocol_and_stream_in_query(
    asgi_server, stream_token, alice, bob
):
    follow_account(alice.account, bob.account)
    token = stream_token(alice, "read")
    with connect(_ws_url(asgi_server.url, "stream=user"), subprotocols=[token]) as ws:
        assert ws.subprotocol == token
        _synced(ws)
        publish_post(bob.account, "Hello followers")
        message = json.loads(ws.recv(timeout=1))
        assert (message["stream"], message["event"]) == (["user"], "update")


def test_websocket_refuses_bad_token_and_bad_requests(asgi_server, stream_token, alice):
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus) as refused:
        connect(_ws_url(asgi_server.url, "access_token=wrong"))
    assert refused.value.response.status_code == 401
    token = stream_token(alice, "write")  # no read scope
    with connect(_ws_url(asgi_server.url, f"access_token={token}")) as ws:
        ws.send(json.dumps({"type": "subscribe", "stream": "public"}))
        assert json.loads(ws.recv(timeout=2)) == {
            "error": "This stream needs the read:statuses scope.", "status": 403
        }
        ws.send("not json")
        assert json.loads(ws.recv(timeout=2))["status"] == 400
        ws.send(json.dumps({"type": "subscribe", "stream": "nonsense"}))
        assert "Unknown stream" in json.loads(ws.recv(timeout=2))["error"]


def _start_uvicorn(asgi_server, *, workers: int) -> tuple[subprocess.Popen, str]:
    """Another server on the same test database (same environment as the fixture's)."""
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "voliere.config.settings.test",
           "VOLIERE_DATABASE_URL": _database_url(), "VOLIERE_ALLOWED_HOSTS": "127.0.0.1"}
    process = subprocess.Popen(  # noqa: S603 — our own interpreter and module
        [sys.executable, "-m", "uvicorn", "voliere.config.asgi:application", "--host",
         "127.0.0.1", "--port", str(port), "--workers", str(workers), "--lifespan", "off",
         "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/streaming/health", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("second server did not start")


def _database_url() -> str:
    from django.db import connection

    from tests.live_server import database_url

    return database_url(connection.settings_dict)


def test_event_made_on_one_server_reaches_client_of_another(
    asgi_server, open_stream, session_cookie, bearer, alice, bob
):
    """Two servers on one database, the second with two worker processes: a post made
    through server A's HTTP API reaches streams held by server B's workers within 1 s."""
    follow_account(alice.account, bob.account)
    process, other_url = _start_uvicorn(asgi_server, workers=2)
    try:
        cookie = session_cookie(alice)
        # Several connections, so both workers of server B most likely hold one.
        streams = [open_stream(f"{other_url}/live/", {"Cookie": cookie}) for _ in range(4)]
        assert all(s.status == 200 for s in streams)
        import httpx

        started = time.monotonic()
        response = httpx.post(
            f"{asgi_server.url}/api/v1/statuses", data={"status": "Across processes"},
            headers=bearer(bob, "write"),
        )
        if response.status_code == 404:  # the statuses endpoint has not landed yet
            post_id = str(publish_post(bob.account, "Across processes").id)
        else:
            assert response.status_code == 200, response.text
            post_id = response.json()["id"]
        for stream in streams:
            event = stream.next_event(timeout=1.5)
            assert (event.event, json.loads(event.data)["id"]) == ("update", post_id)
        assert time.monotonic() - started < 1.5
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_server_stops_promptly_with_streams_open(asgi_server, session_cookie, alice):
    process, url = _start_uvicorn(asgi_server, workers=1)
    try:
        stream = SSEClient(f"{url}/live/", {"Cookie": session_cookie(alice)})
        assert stream.status == 200
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=5)
        assert time.monotonic() - started < 3
        assert stream.ended.wait(2)  # the stream was ended, not cut
        stream.close()
    finally:
        if process.poll() is None:
            process.kill()
