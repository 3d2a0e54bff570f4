"""Mastodon.py's `stream_user` with a `StreamListener` against the live server."""

from __future__ import annotations

import threading

import pytest

from voliere.accounts.actions import follow_account
from voliere.posts.actions import publish_post

pytestmark = pytest.mark.django_db(transaction=True)


def test_mastodon_py_stream_user_listener_receives_update(asgi_server, stream_token, alice, bob):
    from mastodon import Mastodon, StreamListener

    follow_account(alice.account, bob.account)
    received: list[dict] = []
    got_update = threading.Event()

    class Listener(StreamListener):
        def on_update(self, status):
            received.append(status)
            got_update.set()

    api = Mastodon(access_token=stream_token(alice, "read"), api_base_url=asgi_server.url,
                   version_check_mode="none", request_timeout=10)
    handle = api.stream_user(Listener(), run_async=True)
    try:
        # The handle connects in its own thread. The server registers a stream before it
        # answers, so once the handle receives, the post below cannot be missed.
        pause = threading.Event()
        for _ in range(200):
            if handle.is_receiving():
                break
            pause.wait(0.05)
        assert handle.is_receiving()
        post = publish_post(bob.account, "Streamed to Mastodon.py")
        assert got_update.wait(2)
        assert str(received[0]["id"]) == str(post.id)
        assert "Streamed to Mastodon.py" in received[0]["content"]
    finally:
        handle.close()
