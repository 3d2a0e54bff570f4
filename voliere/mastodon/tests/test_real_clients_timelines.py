"""Real Mastodon clients against the live server (uvicorn on loopback): Mastodon.py and
the `toot` CLI read timelines (with pagination), follow, search and notifications."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest

from voliere.accounts.actions import follow_account
from voliere.accounts.models import Follow
from voliere.posts.actions import publish_post
from voliere.timelines.fanout import fan_out_post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def timeline(alice, bob):
    """Bob's 7 posts fanned out to Alice's home; Bob mentions Alice once."""
    follow_account(alice.account, bob.account)
    posts = [publish_post(bob.account, f"update {n} #weekly") for n in range(6)]
    posts.append(publish_post(bob.account, "@alice can you review?"))
    for post in posts:
        fan_out_post(post.id)
    return posts


def test_mastodon_py_pages_follows_searches_and_reads_notifications(
    mastodon_live, api_token, alice, bob, carol, timeline
):
    from voliere.notifications.actions import notify_post_published

    notify_post_published(timeline[-1].id, [alice.account.id])
    api = mastodon_live.mastodon(api_token(alice))
    first = api.timeline_home(limit=3)
    assert [str(s["id"]) for s in first] == [str(p.id) for p in reversed(timeline[-3:])]
    seen = list(first)
    page = first
    while (page := api.fetch_next(page)):
        seen += page
    assert [str(s["id"]) for s in seen] == [str(p.id) for p in reversed(timeline)]
    assert api.timeline_hashtag("weekly", limit=2)[0]["content"].startswith("<p>update 5")

    relationship = api.account_follow(carol.account.id)
    assert relationship["following"] is True
    found = api.search_v2("caro", result_type="accounts")
    assert [a["acct"] for a in found["accounts"]] == ["carol"]
    statuses = api.search_v2("review")["statuses"]
    assert [str(s["id"]) for s in statuses] == [str(timeline[-1].id)]

    notifications = api.notifications()
    assert [(n["type"], str(n["status"]["id"])) for n in notifications] == [
        ("mention", str(timeline[-1].id))
    ]
    api.notifications_dismiss(notifications[0]["id"])
    assert api.notifications() == []


def _toot_config(directory: Path, url: str, token: str, handle: str) -> None:
    """A logged-in toot configuration (what `toot login_cli` writes, tested elsewhere)."""
    instance = urlparse(url).netloc
    config = {
        "apps": {instance: {"instance": instance, "base_url": url, "client_id": "test",
                            "client_secret": "test"}},
        "users": {f"{handle}@{instance}": {"instance": instance, "username": handle,
                                            "access_token": token}},
        "active_user": f"{handle}@{instance}",
    }
    folder = directory / "toot"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config))


def test_toot_timeline_follow_search_notifications(
    mastodon_live, api_token, alice, bob, carol, timeline, tmp_path
):
    from voliere.notifications.actions import notify_post_published

    notify_post_published(timeline[-1].id, [alice.account.id])
    _toot_config(tmp_path, mastodon_live.url, api_token(alice), "alice")

    def toot(*args: str) -> str:
        done = mastodon_live.toot(list(args), tmp_path)
        assert done.returncode == 0, done.stderr + done.stdout
        return done.stdout

    home = toot("timelines", "home", "--no-pager", "--no-clear", "--limit", "10")
    assert "update 5" in home and "can you review?" in home
    toot("follow", "carol")
    assert Follow.objects.filter(follower=alice.account, followee=carol.account).exists()
    assert "carol" in toot("search", "carol")
    notifications = toot("notifications")
    assert "can you review?" in notifications and "bob" in notifications
