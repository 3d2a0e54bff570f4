"""Delivery-time permissions: nobody's stream carries a post they may not see.

Each test opens the streams, then publishes a post they must not receive and, last, one
they must: the control event proves the stream was live while the forbidden one went by.
"""

from __future__ import annotations

import json

import pytest

from voliere.accounts.actions import block_account, follow_account, mute_account
from voliere.posts.actions import publish_post

pytestmark = pytest.mark.django_db(transaction=True)


def _web(asgi_server, open_stream, session_cookie, user):
    stream = open_stream(f"{asgi_server.url}/live/", {"Cookie": session_cookie(user)})
    assert stream.status == 200
    return stream


def _ids(events, kind="update"):
    return [json.loads(e.data)["id"] for e in events if e.event == kind]


def test_followers_only_post_reaches_follower_not_stranger(
    asgi_server, open_stream, session_cookie, make_user, alice, bob
):
    stranger = make_user("stranger")
    follow_account(alice.account, bob.account)
    follower_stream = _web(asgi_server, open_stream, session_cookie, alice)
    stranger_stream = _web(asgi_server, open_stream, session_cookie, stranger)
    secret = publish_post(bob.account, "For my followers", visibility="followers")
    control = publish_post(stranger.account, "Talking to myself")
    assert _ids(follower_stream.drain(0.8)) == [str(secret.id)]
    assert _ids(stranger_stream.drain(0.1)) == [str(control.id)]


def test_direct_post_only_to_mentioned(
    asgi_server, open_stream, session_cookie, alice, bob, carol
):
    follow_account(carol.account, bob.account)  # a follower, but not mentioned
    alice_stream = _web(asgi_server, open_stream, session_cookie, alice)
    carol_stream = _web(asgi_server, open_stream, session_cookie, carol)
    direct = publish_post(bob.account, "@alice just between us", visibility="direct")
    control = publish_post(bob.account, "Hello everyone")
    assert _ids(alice_stream.drain(0.8)) == [str(direct.id)]
    assert _ids(carol_stream.drain(0.1)) == [str(control.id)]


def test_blocked_and_muted_authors_are_filtered(
    asgi_server, open_stream, session_cookie, alice, bob, carol
):
    follow_account(alice.account, bob.account)
    follow_account(alice.account, carol.account)
    block_account(bob.account, alice.account)  # Bob blocks Alice (the follow goes too)
    mute_account(alice.account, carol.account)
    stream = _web(asgi_server, open_stream, session_cookie, alice)
    publish_post(bob.account, "Alice must not see this")
    publish_post(carol.account, "Muted by Alice")
    control = publish_post(alice.account, "My own post")
    assert _ids(stream.drain(0.8)) == [str(control.id)]


def test_hashtag_and_public_streams_never_carry_private_posts(
    asgi_server, open_stream, stream_token, make_user, alice, bob
):
    stranger = make_user("stranger")
    token = stream_token(stranger, "read")
    tag_stream = open_stream(
        f"{asgi_server.url}/api/v1/streaming/hashtag?tag=Launch&access_token={token}"
    )
    public_stream = open_stream(f"{asgi_server.url}/api/v1/streaming/public?access_token={token}")
    follow_account(alice.account, bob.account)
    publish_post(bob.account, "Followers only #launch", visibility="followers")
    publish_post(bob.account, "Direct to @alice #launch", visibility="direct")
    control = publish_post(bob.account, "Public #launch")
    tagged = tag_stream.drain(0.8)
    assert [(e.event, json.loads(e.data)["id"]) for e in tagged] == [("update", str(control.id))]
    assert _ids(public_stream.drain(0.1)) == [str(control.id)]
