"""The search page and its live updates, through HTTP."""

import re

import httpx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voliere.accounts.actions import follow_account
from voliere.posts.actions import publish_post
from voliere.search.tests.helpers import sign_in

URL = "/search/"
EXPECTED_QUERIES = {"posts": 4, "all": 9}


@pytest.mark.django_db
def test_snippets_are_escaped_then_highlighted(alice, bob, login):
    publish_post(alice.account, "Beware <script>alert('kraken')</script> & the kraken <b>now</b>")
    response = login(bob).get(URL, {"q": "kraken", "tab": "posts"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in body and "<b>now" not in body
    assert "&lt;script&gt;alert(&#x27;<mark>kraken</mark>&#x27;)&lt;/script&gt;" in body
    assert "&amp; the <mark>kraken</mark> &lt;b&gt;now&lt;/b&gt;" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unclosed', "The quote at character 1 is never closed"),
        ("x foo:bar", "Unknown filter “foo:” at character 3"),
        ("x since:2026-13-01", "is not a date"),
        ("NEAR(a* b)", "Wildcards (*) are not supported (character 7)"),
        ("-only", "Type a word to search for"),
    ],
)
def test_bad_syntax_is_a_400_with_the_message(client, alice, login, query, message):
    response = login(alice).get(URL, {"q": query})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.django_db
def test_bad_offset_is_a_400(client, alice, login):
    response = login(alice).get(URL, {"q": "x", "tab": "posts", "offset": "ten"})
    assert response.status_code == 400
    assert "whole number" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_sees_public_results_only(client, alice):
    publish_post(alice.account, "Public narwhal")
    publish_post(alice.account, "Internal narwhal", visibility="internal")
    body = client.get(URL, {"q": "narwhal"}).content.decode()
    assert "Public <mark>narwhal</mark>" in body
    assert "Internal" not in body


@pytest.mark.django_db
def test_all_tab_lists_every_kind_with_results(alice, bob, login):
    publish_post(alice.account, "Heron spotted #herons")
    body = login(bob).get(URL, {"q": "heron"}).content.decode()
    assert 'id="search-results-posts"' in body
    assert 'id="search-results-hashtags"' in body and "#<mark>herons</mark>" in body


@pytest.mark.django_db
@pytest.mark.parametrize("tab", ["posts", "all"])
def test_query_count_does_not_grow_with_results(
    alice, bob, make_user, login, django_assert_num_queries, tab
):
    client = login(bob)
    others = [make_user().account for _ in range(3)]

    def publish(count: int) -> None:
        for n in range(count):
            publish_post(others[n % 3], f"Puffin colony count {n}")

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"q": "puffin", "tab": tab})
        assert response.status_code == 200
        return len(captured.captured_queries)

    publish(2)
    few = count_queries()
    publish(18)
    # session, user, then per kind an index look-up and one permission-checked load
    # (hashtags: key look-up only when nothing matches)
    expected = EXPECTED_QUERIES[tab]
    with django_assert_num_queries(expected):
        client.get(URL, {"q": "puffin", "tab": tab})
    assert few == expected


@pytest.mark.django_db(transaction=True)
def test_live_updates_return_only_newer_visible_posts(asgi_server, alice, bob, carol):
    follow_account(bob.account, alice.account)
    first = publish_post(alice.account, "Election night: first results")
    client = sign_in(asgi_server.url, bob)
    page = client.get(URL, params={"q": "election", "order": "latest", "tab": "posts"})
    assert page.status_code == 200
    poller = re.search(r'hx-get="([^"]+since_id=(\d+))"', page.text)
    assert poller and int(poller.group(2)) == first.id

    newer = publish_post(carol.account, "Election: turnout is high")
    publish_post(carol.account, "Election secret for @alice", visibility="direct")
    publish_post(alice.account, "Election for followers", visibility="followers")
    publish_post(carol.account, "Unrelated news")
    live = client.get(reverse("search_live"), params={"q": "election", "since_id": first.id})
    assert live.status_code == 200
    ids = [int(i) for i in re.findall(r'data-post-id="(\d+)"', live.text)]
    followers_only = ids[0]
    assert ids[1:] == [newer.id], "newest first; the direct message to alice is not shown"
    assert "</mark> for followers" in live.text and "secret" not in live.text
    assert 'hx-swap-oob="afterbegin:#search-results-posts"' in live.text
    assert f"since_id={followers_only}" in live.text

    again = client.get(reverse("search_live"), params={"q": "election", "since_id": followers_only})
    assert "data-post-id" not in again.text
    assert f"since_id={followers_only}" in again.text

    anonymous = httpx.get(
        f"{asgi_server.url}{reverse('search_live')}",
        params={"q": "election", "since_id": first.id},
        timeout=10,
    )
    assert re.findall(r'data-post-id="(\d+)"', anonymous.text) == [str(newer.id)]
    bad = client.get(reverse("search_live"), params={"q": '"election', "since_id": "0"})
    assert bad.status_code == 400 and "never closed" in bad.text
