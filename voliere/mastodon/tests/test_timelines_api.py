"""Timeline endpoints through the API plumbing: home, public, tag, list; cursors, `Link`
headers, errors and query counts."""

from __future__ import annotations

import re

import pytest

from conftest import committed
from voliere.accounts.actions import follow_account, mute_account
from voliere.lists import actions as list_actions
from voliere.mastodon import entities
from voliere.posts.actions import publish_post, repost

pytestmark = pytest.mark.django_db


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [status["id"] for status in response.json()]


def links(response) -> dict[str, str]:
    """rel → URL, keeping the order in which the header lists them."""
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response["Link"])}


@pytest.fixture
def followed_posts(alice, bob):
    """Alice follows Bob, who published 5 posts (fanned out to Alice's home)."""
    follow_account(alice.account, bob.account)
    posts = []
    for n in range(5):
        with committed():
            posts.append(publish_post(bob.account, f"post {n} #news"))
    return posts


def test_home_pages_with_link_header_next_first(api_client, alice, followed_posts):
    client = api_client(alice, "read")
    newest_first = [str(p.id) for p in reversed(followed_posts)]
    first = client.get("/api/v1/timelines/home", {"limit": 2})
    assert ids(first) == newest_first[:2]
    header = first["Link"]
    assert header.index('rel="next"') < header.index('rel="prev"')
    assert f"max_id={newest_first[1]}" in links(first)["next"]
    assert f"min_id={newest_first[0]}" in links(first)["prev"]
    second = client.get(links(first)["next"].split("testserver")[1])
    assert ids(second) == newest_first[2:4]
    # min_id: the page just newer than the id, still newest first (Mastodon's order).
    newer = client.get("/api/v1/timelines/home", {"min_id": newest_first[4], "limit": 2})
    assert ids(newer) == newest_first[2:4]
    since = client.get("/api/v1/timelines/home", {"since_id": newest_first[4], "limit": 2})
    assert ids(since) == newest_first[:2]


def test_home_reblogs_wrap_the_original(api_client, alice, bob, carol, followed_posts):
    follow_account(alice.account, carol.account)
    original = publish_post(bob.account, "worth sharing")
    with committed():
        shared = repost(carol.account, original)
    body = api_client(alice, "read").get("/api/v1/timelines/home").json()
    status = next(s for s in body if s["id"] == str(shared.id))
    assert status["reblog"]["id"] == str(original.id)
    assert status["account"]["id"] == str(carol.account.id)


def test_home_hides_muted_and_exclusive_list_members(api_client, alice, bob, followed_posts):
    client = api_client(alice, "read")
    lst = list_actions.create_list(alice.account, "Bob only", exclusive=True)
    list_actions.add_members(lst, [bob.account.id])
    assert ids(client.get("/api/v1/timelines/home")) == []
    assert len(ids(client.get(f"/api/v1/timelines/list/{lst.id}"))) == 5
    list_actions.update_list(lst, exclusive=False)
    assert len(ids(client.get("/api/v1/timelines/home"))) == 5
    mute_account(alice.account, bob.account)
    assert ids(client.get("/api/v1/timelines/home")) == []


@pytest.mark.parametrize(
    "params, message",
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"max_id": "12x"}, "max_id"),
        ({"min_id": "٣"}, "min_id"),
    ],
)
def test_bad_cursor_is_a_422_naming_the_parameter(api_client, alice, params, message):
    response = api_client(alice, "read").get("/api/v1/timelines/home", params)
    assert response.status_code == 422
    assert message in response.json()["error"]


def test_limit_is_clamped_to_40(api_client, alice, bob):
    follow_account(alice.account, bob.account)
    for n in range(45):
        with committed():
            publish_post(bob.account, f"n{n}")
    assert len(ids(api_client(alice, "read").get("/api/v1/timelines/home", {"limit": 100}))) == 40
    assert len(ids(api_client(alice, "read").get("/api/v1/timelines/home"))) == 20


def test_home_needs_a_user_token_and_read_scope(api_client, app_token, alice):
    assert api_client().get("/api/v1/timelines/home").status_code == 401
    assert api_client(token=app_token("read")).get("/api/v1/timelines/home").status_code == 422
    assert api_client(alice, "write").get("/api/v1/timelines/home").status_code == 403
    assert api_client(alice, "read:statuses").get("/api/v1/timelines/home/").status_code == 200


def test_public_timeline_internal_only_for_members(api_client, app_token, alice, bob):
    public = publish_post(bob.account, "hello world")
    internal = publish_post(bob.account, "staff only", visibility="internal")
    publish_post(bob.account, "a reply", in_reply_to=public)
    repost(alice.account, public)
    member = ids(api_client(alice, "read").get("/api/v1/timelines/public"))
    assert str(internal.id) in member and str(public.id) in member
    for client in (api_client(), api_client(token=app_token("read"))):
        seen = ids(client.get("/api/v1/timelines/public"))
        assert str(public.id) in seen and str(internal.id) not in seen
    assert ids(api_client(alice).get("/api/v1/timelines/public", {"remote": "true"})) == []
    assert ids(api_client(alice).get("/api/v1/timelines/public", {"local": "true"})) == member
    assert ids(api_client(alice).get("/api/v1/timelines/public", {"only_media": "1"})) == []


def test_tag_timeline_with_any_all_none(api_client, alice, bob):
    cats = publish_post(bob.account, "#cats")
    both = publish_post(bob.account, "#cats #dogs")
    dogs = publish_post(bob.account, "#dogs")
    client = api_client(alice, "read")
    assert ids(client.get("/api/v1/timelines/tag/Cats")) == [str(both.id), str(cats.id)]
    assert ids(client.get("/api/v1/timelines/tag/cats", {"any[]": ["dogs"]})) == [
        str(dogs.id), str(both.id), str(cats.id)
    ]
    assert ids(client.get("/api/v1/timelines/tag/cats", {"all[]": ["dogs"]})) == [str(both.id)]
    assert ids(client.get("/api/v1/timelines/tag/cats", {"none[]": ["dogs"]})) == [str(cats.id)]
    assert ids(client.get("/api/v1/timelines/tag/cats", {"all[]": ["nobody"]})) == []
    assert ids(client.get("/api/v1/timelines/tag/unknown")) == []


def test_list_timeline_of_someone_else_is_404(api_client, alice, bob):
    lst = list_actions.create_list(alice.account, "mine")
    assert api_client(bob, "read").get(f"/api/v1/timelines/list/{lst.id}").status_code == 404
    assert api_client(bob, "read").get("/api/v1/timelines/list/nope").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/timelines/tag/news",
     "LIST"],
)
def test_query_count_does_not_grow_with_page_size(
    api_client, alice, bob, carol, url, django_assert_num_queries
):
    follow_account(alice.account, bob.account)
    follow_account(alice.account, carol.account)
    lst = list_actions.create_list(alice.account, "all")
    list_actions.add_members(lst, [bob.account.id, carol.account.id])
    url = f"/api/v1/timelines/list/{lst.id}" if url == "LIST" else url
    client = api_client(alice, "read")

    def publish(count: int) -> None:
        for n in range(count):
            author = bob if n % 2 else carol
            with committed():
                post = publish_post(author.account, f"#news {n} @alice", visibility="public")
            if n % 3 == 0:
                with committed():
                    repost(author.account, post)

    publish(5)
    client.get(url)  # warm per-process caches (content types, sessions...)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    entities.clear_caches()  # both pages start cold: the serializer caches per process
    with CaptureQueriesContext(connection) as small:
        assert len(ids(client.get(url, {"limit": 5}))) == 5
    publish(40)
    entities.clear_caches()
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(ids(client.get(url, {"limit": 40}))) == 40
