"""The home timeline's fast path (compiled queries, statuses assembled from cached JSON
text) never serves stale or forbidden data, keeps viewer flags per viewer, equals the
dict serializer, and costs the same number of queries whatever the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from conftest import committed
from voliere.accounts.actions import (
    block_account,
    follow_account,
    suspend_account,
    unfollow_account,
    update_profile,
)
from voliere.core.pagination import Cursor
from voliere.mastodon import entities, status_cache
from voliere.mastodon.compiled_sql import CompiledQuery
from voliere.mastodon.timeline_queries import home_page
from voliere.polls.actions import PollSpec, create_poll
from voliere.posts.actions import (
    delete_post,
    edit_post,
    like_post,
    publish_post,
    repost,
    unlike_post,
)
from voliere.posts.models import Post

pytestmark = pytest.mark.django_db
HOME = "/api/v1/timelines/home"


@pytest.fixture(autouse=True)
def _cold_caches():
    entities.clear_caches()
    yield
    entities.clear_caches()


def home(client, **params) -> list[dict]:
    response = client.get(HOME, params)
    assert response.status_code == 200, response.content
    return response.json()


def by_id(statuses: list[dict]) -> dict[str, dict]:
    return {s["id"]: s for s in statuses}


def publish(author, text, **options) -> Post:
    with committed():
        return publish_post(author, text, **options)


@pytest.fixture
def timeline(alice, bob, carol, make_user):
    """Alice follows Bob and Carol; a varied home: mentions, tags, a reply, a repost, a
    poll, a followers-only post, and Alice's own posts (one pinned)."""
    follow_account(alice.account, bob.account)
    follow_account(alice.account, carol.account)
    follow_account(carol.account, bob.account)
    posts = {
        "plain": publish(bob.account, "hello #News"),
        "mention": publish(bob.account, f"hi @{alice.account.handle} & <b>friends</b>"),
        "private": publish(bob.account, "for followers", visibility="followers"),
        "own": publish(alice.account, "my own words", visibility="internal"),
        "own_pinned": publish(alice.account, "pinned words"),
        "question": publish(carol.account, "tea or coffee?"),
    }
    create_poll(posts["question"], PollSpec(options=["tea", "coffee"], expires_in=3600))
    posts["reply"] = publish(carol.account, "agreed", in_reply_to=posts["plain"])
    like_post(alice.account, posts["plain"])
    dan = make_user().account  # Alice does not follow Dan: only the repost reaches her
    posts["shared"] = publish(dan, f"a word for @{bob.account.handle}")
    with committed():
        posts["repost"] = repost(carol.account, posts["shared"])
    return posts


def test_fast_page_equals_the_dict_serializer(api_client, alice, timeline):
    client = api_client(alice, "read write")
    assert client.post(f"/api/v1/statuses/{timeline['own_pinned'].id}/pin").status_code == 200
    request = RequestFactory().get(HOME)
    for _ in range(2):  # cold, then every part from the cache
        fast = home(client, limit=40)
        expected = entities.statuses_json(
            home_page(alice.account, Cursor(limit=40)).items, alice.account, request
        )
        assert fast == expected
    shown = by_id(fast)
    assert shown[str(timeline["own_pinned"].id)]["pinned"] is True
    assert shown[str(timeline["own"].id)]["pinned"] is False
    assert shown[str(timeline["question"].id)]["poll"]["options"][0]["title"] == "tea"
    assert shown[str(timeline["repost"].id)]["reblog"]["id"] == str(timeline["shared"].id)
    assert "&lt;b&gt;friends" in shown[str(timeline["mention"].id)]["content"]


def test_edit_delete_and_counters_are_never_stale(api_client, alice, bob, timeline):
    client = api_client(alice, "read")
    plain = timeline["plain"]
    first = by_id(home(client))[str(plain.id)]
    assert first["favourites_count"] == 1 and first["favourited"] is True
    with committed():
        edit_post(bob.account, plain, "hello again #News")
    with committed():
        unlike_post(alice.account, plain)
    again = by_id(home(client))[str(plain.id)]
    assert "hello again" in again["content"]
    assert again["edited_at"] is not None
    assert again["favourites_count"] == 0 and again["favourited"] is False
    with committed():
        delete_post(bob.account, plain)
    statuses = by_id(home(client))
    assert str(plain.id) not in statuses
    # The reply to the deleted post stays, and Carol's repost of Bob's post still shows
    # the original's live counters.
    assert str(timeline["reply"].id) in statuses


def test_repost_shows_the_originals_live_counters(api_client, alice, bob, carol, timeline):
    client = api_client(alice, "read")
    shared = str(timeline["repost"].id)
    assert by_id(home(client))[shared]["reblog"]["favourites_count"] == 0
    like_post(carol.account, timeline["shared"])
    status = by_id(home(client))[shared]
    assert status["reblog"]["favourites_count"] == 1
    assert status["favourites_count"] == 1  # Mastodon repeats the original's counts


def test_viewer_flags_are_per_viewer(api_client, alice, bob, carol, timeline):
    """Carol also sees Bob's post (she follows him): Alice's like never shows as hers."""
    plain = str(timeline["plain"].id)
    assert by_id(home(api_client(alice, "read")))[plain]["favourited"] is True
    carols = by_id(home(api_client(carol, "read")))[plain]
    assert carols["favourited"] is False
    assert carols["favourites_count"] == 1
    assert "pinned" not in carols  # not her post


def test_block_unfollow_and_suspension_apply_to_cached_statuses(
    api_client, alice, bob, carol, timeline
):
    client = api_client(alice, "read")
    private = str(timeline["private"].id)
    assert private in by_id(home(client))  # cached now
    # Unfollow: the followers-only post disappears at once, before any clean-up task.
    unfollow_account(alice.account, bob.account)
    statuses = by_id(home(client))
    assert private not in statuses
    assert str(timeline["plain"].id) in statuses  # public: still a timeline row
    # Blocks, either way: Bob's posts are gone, and so is Carol's repost of Dan's post.
    assert str(timeline["repost"].id) in statuses
    block_account(bob.account, alice.account)
    block_account(alice.account, timeline["shared"].author)
    statuses = by_id(home(client))
    assert not [s for s in statuses.values() if s["account"]["id"] == str(bob.account.id)]
    assert str(timeline["repost"].id) not in statuses
    # Suspension of Carol: her posts go too.
    suspend_account(carol.account)
    assert not [s for s in home(client) if s["account"]["id"] == str(carol.account.id)]


def test_account_changes_show_at_once(api_client, alice, bob, timeline):
    client = api_client(alice, "read")
    plain = str(timeline["plain"].id)
    assert by_id(home(client))[plain]["account"]["display_name"] != "Robert"
    update_profile(bob.account, display_name="Robert", bio="b", links=[])
    shown = by_id(home(client))[plain]["account"]
    assert shown["display_name"] == "Robert"
    before = shown["statuses_count"]
    publish(bob.account, "one more")
    assert by_id(home(client))[plain]["account"]["statuses_count"] == before + 1


def _count_home_queries(client, limit: int) -> tuple[list[str], list[str]]:
    entities.clear_caches()
    with CaptureQueriesContext(connection) as cold:
        assert len(home(client, limit=limit)) == limit
    with CaptureQueriesContext(connection) as warm:
        home(client, limit=limit)
    return [q["sql"] for q in cold], [q["sql"] for q in warm]


def test_query_count_does_not_grow_with_page_size(api_client, alice, bob, make_user):
    follow_account(alice.account, bob.account)
    others = [make_user() for _ in range(4)]
    for n in range(30):
        author = others[n % 4].account if n % 3 else bob.account
        follow_account(alice.account, author)
        post = publish(author, f"post {n} @{alice.account.handle} #tag{n % 5}")
        if n % 7 == 0:
            with committed():
                repost(bob.account, post)
            like_post(alice.account, post)
    client = api_client(alice, "read")
    home(client)  # the token's first use is recorded once (last_used_at)...
    home(client)  # ...which changes its row: validated again once, then cached
    small_cold, small_warm = _count_home_queries(client, 5)
    large_cold, large_warm = _count_home_queries(client, 30)
    assert len(small_cold) == len(large_cold), [*small_cold, "----", *large_cold]
    assert len(small_warm) == len(large_warm)
    # token, entries, visible posts, viewer flags
    assert len(large_warm) == 4, large_warm


def test_compiled_query_refuses_a_value_frozen_into_the_sql():
    frozen = CompiledQuery(lambda shape, pk: Post.objects.filter(pk=42).values_list("id"),
                           name="frozen")
    with pytest.raises(RuntimeError, match="frozen"):
        frozen.rows(None, [1])


def test_compiled_query_binds_fresh_values(bob):
    first = publish(bob.account, "one")
    second = publish(bob.account, "two")
    query = CompiledQuery(
        lambda shape, pk: Post.objects.filter(pk=pk).values_list("id", "text"), name="by id"
    )
    assert query.rows(None, [first.id]) == [(first.id, "one")]
    assert query.rows(None, [second.id]) == [(second.id, "two")]


def test_render_rows_of_an_empty_page_is_an_empty_array(alice):
    assert status_cache.render_rows([], alice.account, RequestFactory().get(HOME)) == "[]"
