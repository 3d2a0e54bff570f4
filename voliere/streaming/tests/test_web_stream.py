"""The web page's live stream (`/live/`, session auth) over real HTTP on loopback."""

from __future__ import annotations

import json
import time

import pytest

from voliere.accounts.actions import follow_account
from voliere.posts.actions import delete_post, publish_post

pytestmark = pytest.mark.django_db(transaction=True)


def test_signed_out_visitor_is_refused(asgi_server, open_stream):
    stream = open_stream(f"{asgi_server.url}/live/")
    assert stream.status == 401
    assert "Sign in" in json.loads(stream.body())["error"]


def test_followed_post_reaches_open_home_within_a_second(
    asgi_server, open_stream, session_cookie, alice, bob
):
    follow_account(alice.account, bob.account)
    stream = open_stream(f"{asgi_server.url}/live/", {"Cookie": session_cookie(alice)})
    assert stream.status == 200
    assert stream.headers["content-type"].startswith("text/event-stream")
    started = time.monotonic()
    post = publish_post(bob.account, "Fresh news")
    event = stream.next_event(timeout=1.0)
    assert time.monotonic() - started < 1.0
    assert (event.event, json.loads(event.data)) == ("update", {"id": str(post.id)})
    delete_post(bob.account, post)
    event = stream.next_event(timeout=1.0)
    assert (event.event, json.loads(event.data)) == ("delete", {"id": str(post.id)})
