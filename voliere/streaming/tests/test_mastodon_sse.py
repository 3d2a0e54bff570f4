"""The Mastodon SSE endpoints over real HTTP on loopback: auth, errors, and each event.

Changes are made in this (pytest) process and committed; the server is another process,
so every delivery crosses processes through the event log.
"""

from __future__ import annotations

import json
import time

import httpx
import pytest

from voliere.accounts.actions import follow_account
from voliere.posts.actions import delete_post, edit_post, publish_post

pytestmark = pytest.mark.django_db(transaction=True)


def test_health_answers_ok(asgi_server):
    for path in ("/api/v1/streaming/health", "/api/v1/streaming/health/"):
        response = httpx.get(asgi_server.url + path)
        assert (response.status_code, response.text) == (200, "OK")


@pytest.mark.parametrize(
    ("path", "scopes", "status", "message"),
    [
        ("/api/v1/streaming/user", None, 401, "access token"),
        ("/api/v1/streaming/user", "write", 403, "read:statuses"),
        ("/api/v1/streaming/user/notification", "read:statuses", 403, "read:notifications"),
        ("/api/v1/streaming/hashtag", "read", 400, "tag"),
        ("/api/v1/streaming/nowhere", "read", 404, "No such stream"),
    ],
)
def test_refusals_are_json_errors(
    asgi_server, open_stream, bearer, alice, path, scopes, status, message
):
    headers = bearer(alice, scopes) if scopes else {}
    stream = open_stream(asgi_server.url + path, headers)
    assert stream.status == status
    assert message in json.loads(stream.body())["error"]


def test_bad_token_is_refused(asgi_server, open_stream):
    stream = open_stream(f"{asgi_server.url}/api/v1/streaming/public?access_token=nope")
    assert stream.status == 401


def test_user_stream_gets_update_edit_delete_and_notification(
    asgi_server, open_stream, stream_token, alice, bob
):
    follow_account(alice.account, bob.account)
    token = stream_token(alice, "read")
    stream = open_stream(f"{asgi_server.url}/api/v1/streaming/user?access_token={token}")
    assert stream.status == 200

    post = publish_post(bob.account, "Hello @alice, news from the lab")
    started = time.monotonic()  # committed (tasks ran in this process, at once)
    # The update and the mention's notification, in either order (the notification is
    # made by a task: at once in tests, later with a real worker).
    events = {event.event: json.loads(event.data) for event in
              (stream.next_event(timeout=1.0), stream.next_event(timeout=1.0))}
    assert time.monotonic() - started < 1.0
    assert events["update"]["id"] == str(post.id)
    assert events["update"]["account"]["id"] == str(bob.account.id)
    assert events["notification"]["type"] == "mention"
    assert events["notification"]["status"]["id"] == str(post.id)

    edit_post(bob.account, post, "Hello @alice, corrected news from the lab")
    edited = stream.next_event(timeout=1.0)
    assert edited.event == "status.update"
    assert "corrected" in json.loads(edited.data)["content"]

    delete_post(bob.account, post)
    deleted = stream.next_event(timeout=1.0)
    assert (deleted.event, deleted.data) == ("delete", str(post.id))


def test_notification_stream_gets_notifications_only(
    asgi_server, open_stream, bearer, alice, bob
):
    stream = open_stream(
        f"{asgi_server.url}/api/v1/streaming/user/notification", bearer(alice, "read:notifications")
    )
    assert stream.status == 200
    follow_account(bob.account, alice.account)
    event = stream.next_event(timeout=1.0)
    assert event.event == "notification"
    body = json.loads(event.data)
    assert (body["type"], body["account"]["id"]) == ("follow", str(bob.account.id))
    publish_post(bob.account, "Nothing for the notification stream")
    assert stream.drain(0.6) == []


def test_heartbeat_and_connection_limit(asgi_server, open_stream, stream_token, alice, settings):
    token = stream_token(alice, "read")
    url = f"{asgi_server.url}/api/v1/streaming/public?access_token={token}"
    streams = [open_stream(url) for _ in range(8)]  # VOLIERE_STREAMING_MAX_CONNECTIONS
    assert [s.status for s in streams] == [200] * 8
    assert streams[0].comments[0] == ":)"
    ninth = open_stream(url)
    assert ninth.status == 429
    streams[0].close()
    time.sleep(0.3)
    assert open_stream(url).status == 200
