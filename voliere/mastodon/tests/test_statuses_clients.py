"""Statuses, polls and follows driven by real clients over real HTTP on loopback:
Mastodon.py and the toot CLI against the live ASGI server; and two concurrent requests
with one `Idempotency-Key` publishing exactly one status."""

from __future__ import annotations

import io
import threading
import uuid

import httpx
import pytest
from PIL import Image

from conftest import PASSWORD
from voliere.accounts.models import Follow
from voliere.mastodon.models import PostedStatus
from voliere.media.models import MediaAttachment
from voliere.polls.models import PollVote
from voliere.posts.actions import publish_post
from voliere.posts.models import Like, Post

pytestmark = pytest.mark.django_db(transaction=True)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_mastodon_py_statuses_follows_and_polls(mastodon_live, api_token, alice, bob):
    api = mastodon_live.mastodon(api_token(alice))
    bobs_api = mastodon_live.mastodon(api_token(bob))
    theirs = publish_post(bob.account, "hello from bob")

    first = api.status_post("hello #Volière")
    reply = api.status_post("a reply", in_reply_to_id=first["id"], visibility="unlisted")
    assert reply["in_reply_to_id"] == first["id"]
    assert Post.objects.get(pk=reply["id"]).visibility == "internal"

    media = api.media_post(png_bytes(), mime_type="image/png", description="a red square")
    with_media = api.status_post("look", media_ids=[media["id"]])
    assert [m["id"] for m in with_media["media_attachments"]] == [str(media["id"])]
    assert MediaAttachment.objects.get(pk=media["id"]).subject_id == int(with_media["id"])

    boosted = api.status_reblog(theirs.id)
    assert boosted["reblog"]["id"] == str(theirs.id)
    faved = api.status_favourite(theirs.id)
    assert faved["favourited"] is True
    assert Like.objects.filter(account=alice.account, post=theirs).exists()

    relationship = api.account_follow(bob.account.id)
    assert relationship["following"] is True
    assert Follow.objects.filter(follower=alice.account, followee=bob.account).exists()
    listed = api.account_statuses(bob.account.id, exclude_reblogs=True)
    assert [s["id"] for s in listed] == [str(theirs.id)]

    poll_status = api.status_post("lunch?", poll=api.make_poll(["pizza", "salad"],
                                                               expires_in=600))
    voted = bobs_api.poll_vote(poll_status["poll"]["id"], [1])
    assert voted["voted"] is True and voted["own_votes"] == [1]
    assert [o["votes_count"] for o in voted["options"]] == [0, 1]
    assert PollVote.objects.filter(account=bob.account).count() == 1

    mine = api.account_statuses(alice.account.id, limit=2)
    assert len(mine) == 2
    older = api.fetch_next(mine)
    assert older and {s["id"] for s in older}.isdisjoint({s["id"] for s in mine})


def test_toot_post(mastodon_live, alice, tmp_path):
    login = mastodon_live.toot(
        ["login_cli", "--instance", mastodon_live.url, "--email", "alice@example.org",
         "--password", PASSWORD], tmp_path,
    )
    assert login.returncode == 0, login.stdout + login.stderr
    posted = mastodon_live.toot(["post", "posted with toot #cli"], tmp_path)
    assert posted.returncode == 0, posted.stdout + posted.stderr
    post = Post.objects.get(author=alice.account)
    assert post.text == "posted with toot #cli"
    assert PostedStatus.objects.get(post=post).application.name.startswith("toot")


def test_concurrent_requests_with_one_idempotency_key_publish_once(mastodon_live, api_token,
                                                                   alice):
    token = api_token(alice)
    key = str(uuid.uuid4())
    barrier = threading.Barrier(2)
    answers: list[httpx.Response] = []

    def send() -> None:
        barrier.wait()
        answers.append(httpx.post(
            f"{mastodon_live.url}/api/v1/statuses", json={"status": "exactly once"},
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key}, timeout=30,
        ))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert Post.objects.filter(author=alice.account).count() == 1
