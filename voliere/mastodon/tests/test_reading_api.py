"""Bookmarks, favourites, follow requests, suggestions, trends and conversations."""

from __future__ import annotations

import re

import pytest

from conftest import committed
from voliere.accounts.actions import follow_account
from voliere.mastodon import entities
from voliere.posts.actions import bookmark_post, like_post, publish_post

pytestmark = pytest.mark.django_db


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()]


def test_bookmarks_page_on_the_bookmark_row_not_the_status(api_client, alice, bob):
    older, newer = publish_post(bob.account, "older"), publish_post(bob.account, "newer")
    bookmark_post(alice.account, newer)
    bookmark_post(alice.account, older)  # bookmarked last: listed first
    client = api_client(alice, "read")
    first = client.get("/api/v1/bookmarks", {"limit": 1})
    assert ids(first) == [str(older.id)]
    next_url = re.search(r'<([^>]+)>; rel="next"', first["Link"]).group(1)
    assert f"max_id={older.id}" not in next_url  # the cursor is the bookmark's id
    assert ids(client.get(next_url.split("testserver")[1])) == [str(newer.id)]
    assert api_client(alice, "read:favourites").get("/api/v1/bookmarks").status_code == 403


def test_favourites_hide_posts_no_longer_visible(api_client, alice, bob):
    follow_account(alice.account, bob.account)
    post = publish_post(bob.account, "for followers", visibility="followers")
    like_post(alice.account, post)
    client = api_client(alice, "read")
    assert ids(client.get("/api/v1/favourites")) == [str(post.id)]
    from voliere.accounts.actions import unfollow_account

    unfollow_account(alice.account, bob.account)
    assert ids(client.get("/api/v1/favourites")) == []


def test_follow_requests_are_always_empty(api_client, alice, bob):
    client = api_client(alice, "read write follow")
    assert client.get("/api/v1/follow_requests").json() == []
    answer = client.post(f"/api/v1/follow_requests/{bob.account.id}/authorize")
    assert answer.status_code == 404 and answer.json() == {"error": "Record not found"}
    assert client.post(f"/api/v1/follow_requests/{bob.account.id}/reject").status_code == 404


def test_suggestions_exclude_followed_and_self(api_client, alice, bob, carol):
    follow_account(alice.account, bob.account)
    body = api_client(alice, "read").get("/api/v2/suggestions").json()
    suggested = [s["account"]["id"] for s in body]
    assert str(carol.account.id) in suggested
    assert str(bob.account.id) not in suggested and str(alice.account.id) not in suggested
    assert body[0]["source"] == "global"
    v1 = api_client(alice, "read").get("/api/v1/suggestions").json()
    assert [a["id"] for a in v1] == suggested


def test_trends_tags_statuses_links(api_client, alice, bob):
    follow_account(alice.account, bob.account)
    public = publish_post(bob.account, "#launch is public")
    internal = publish_post(bob.account, "#launch #secretplan", visibility="internal")
    followers = publish_post(bob.account, "#hidden", visibility="followers")
    for post in (public, internal, followers):
        like_post(alice.account, post)
    anonymous = api_client().get("/api/v1/trends/tags").json()
    assert [t["name"] for t in anonymous] == ["launch"]
    history = anonymous[0]["history"]
    assert len(history) == 7 and history[0]["uses"] == "1" and history[0]["accounts"] == "1"
    from django.core.cache import cache

    cache.clear()
    member = api_client(alice, "read").get("/api/v1/trends/tags").json()
    assert {t["name"] for t in member} == {"launch", "secretplan"}
    assert member[0]["history"][0]["uses"] == "2"
    assert ids(api_client().get("/api/v1/trends/statuses")) == [str(public.id)]
    assert set(ids(api_client(alice, "read").get("/api/v1/trends/statuses"))) == {
        str(public.id), str(internal.id)}
    assert api_client().get("/api/v1/trends/links").json() == []


def test_conversations_read_and_delete(api_client, alice, bob, carol):
    start = publish_post(bob.account, "@alice psst", visibility="direct")
    publish_post(bob.account, "@carol other thread", visibility="direct")
    client = api_client(alice, "read write")
    listed = client.get("/api/v1/conversations").json()
    assert len(listed) == 1
    conversation = listed[0]
    assert conversation["unread"] is True
    assert conversation["last_status"]["id"] == str(start.id)
    assert [a["id"] for a in conversation["accounts"]] == [str(bob.account.id)]
    read = client.post(f"/api/v1/conversations/{conversation['id']}/read")
    assert read.json()["unread"] is False
    assert client.get("/api/v1/conversations").json()[0]["unread"] is False
    assert client.delete(f"/api/v1/conversations/{conversation['id']}").json() == {}
    assert client.get("/api/v1/conversations").json() == []
    answer = publish_post(bob.account, "@alice still there?", visibility="direct",
                          in_reply_to=start)
    back = client.get("/api/v1/conversations").json()
    assert [c["last_status"]["id"] for c in back] == [str(answer.id)] and back[0]["unread"]
    # Carol's conversation is not Alice's: not listed, and 404 when named.
    other = api_client(carol, "read write").get("/api/v1/conversations").json()[0]["id"]
    assert client.post(f"/api/v1/conversations/{other}/read").status_code == 404


def test_reading_lists_query_counts_are_constant(api_client, alice, make_user,
                                                 django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client(alice, "read")
    def act(count: int) -> None:
        for n in range(count):
            author = make_user().account  # every conversation with someone new
            post = publish_post(author, f"@alice direct {n}", visibility="direct")
            bookmark_post(alice.account, post)
            with committed():
                like_post(alice.account, post)

    act(5)
    for url in ("/api/v1/bookmarks", "/api/v1/favourites", "/api/v1/conversations"):
        client.get(url)
    counts = {}
    for url in ("/api/v1/bookmarks", "/api/v1/favourites", "/api/v1/conversations"):
        entities.clear_caches()  # both pages start cold: the serializer caches per process
        with CaptureQueriesContext(connection) as small:
            assert len(ids(client.get(url, {"limit": 5}))) == 5
        counts[url] = len(small.captured_queries)
    act(40)
    for url, count in counts.items():
        entities.clear_caches()
        with django_assert_num_queries(count):
            assert len(ids(client.get(url, {"limit": 40}))) == 40
