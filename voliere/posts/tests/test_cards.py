"""Post cards drawn from caches (`voliere.posts.cards`): the cached body never shows a post
or a quote to a viewer who may not see it, changes show at once, and the action bar built
from its cached shapes is exactly what `posts/_actions.html` renders."""

from __future__ import annotations

import itertools

import pytest
from django.template import Context
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from voliere.accounts.actions import block_account, follow_account, update_profile
from voliere.posts import cards
from voliere.posts.actions import delete_post, edit_post, publish_post
from voliere.posts.models import Post


@pytest.fixture(autouse=True)
def empty_caches():
    cards.BODIES.clear()
    cards.BARS.clear()


def test_bodies_are_cached_and_reused(alice, login, run_on_commit):
    with run_on_commit():
        publish_post(alice.account, "cached words", visibility="public")
    client = login(alice)
    assert "cached words" in client.get("/").content.decode()
    assert len(cards.BODIES) == 1
    assert "cached words" in client.get("/").content.decode()
    assert len(cards.BODIES) == 1


def test_followers_only_post_seen_by_a_follower_stays_hidden_from_a_stranger(
    alice, bob, carol, login, run_on_commit
):
    with run_on_commit():
        follow_account(bob.account, alice.account)
        publish_post(alice.account, "for my followers", visibility="followers")
    assert "for my followers" in login(bob).get("/").content.decode()
    assert len(cards.BODIES) == 1
    for client in (login(carol), Client()):
        page = client.get(f"/@{alice.account.handle}/")
        assert page.status_code == 200
        assert "for my followers" not in page.content.decode()


def test_quote_drawn_for_a_member_is_unavailable_to_an_anonymous_visitor(alice, bob, login):
    internal = publish_post(alice.account, "internal figures", visibility="internal")
    quoting = publish_post(alice.account, "see this", visibility="public", quote_of=internal)
    member_page = login(bob).get(f"/posts/{quoting.id}/").content.decode()
    assert "internal figures" in member_page
    anonymous_page = Client().get(f"/posts/{quoting.id}/").content.decode()
    assert "see this" in anonymous_page
    assert "internal figures" not in anonymous_page
    assert "This post is unavailable." in anonymous_page


def test_quote_drawn_for_one_member_is_unavailable_across_a_block(alice, bob, carol, login):
    quoted = publish_post(alice.account, "words of alice", visibility="public")
    quoting = publish_post(bob.account, "bob quotes", visibility="public", quote_of=quoted)
    block_account(alice.account, carol.account)
    assert "words of alice" in login(bob).get(f"/posts/{quoting.id}/").content.decode()
    page = login(carol).get(f"/posts/{quoting.id}/").content.decode()
    assert "bob quotes" in page
    assert "words of alice" not in page


def test_an_edit_shows_at_once(alice, bob, login, run_on_commit):
    with run_on_commit():
        follow_account(bob.account, alice.account)
        post = publish_post(alice.account, "first draft", visibility="public")
    client = login(bob)
    assert "first draft" in client.get("/").content.decode()
    edit_post(alice.account, post, "second draft")
    page = client.get("/").content.decode()
    assert "second draft" in page
    assert "first draft" not in page
    assert f"/posts/{post.id}/history/" in page


def test_a_deletion_shows_at_once_in_timelines_and_quotes(alice, bob, login, run_on_commit):
    with run_on_commit():
        follow_account(bob.account, alice.account)
        quoted = publish_post(alice.account, "soon gone", visibility="public")
        quoting = publish_post(alice.account, "quoting it", visibility="public", quote_of=quoted)
    client = login(bob)
    assert client.get("/").content.decode().count("soon gone") == 2
    delete_post(alice.account, quoted)
    assert "soon gone" not in client.get("/").content.decode()
    page = client.get(f"/posts/{quoting.id}/").content.decode()
    assert "soon gone" not in page
    assert "This post is unavailable." in page


def test_a_new_display_name_shows_at_once(alice, login, run_on_commit):
    with run_on_commit():
        publish_post(alice.account, "hello", visibility="public")
    client = login(alice)
    assert "hello" in client.get("/").content.decode()
    update_profile(alice.account, display_name="Alice <Renamed>")
    page = client.get("/").content.decode()
    assert "Alice &lt;Renamed&gt;" in page


def test_cached_bodies_follow_the_language(alice, bob, login, run_on_commit):
    with run_on_commit():
        follow_account(bob.account, alice.account)
        parent = publish_post(bob.account, "question", visibility="public")
        publish_post(alice.account, "answer", visibility="public", in_reply_to=parent)
    client = login(bob)
    assert "Replying to" in client.get("/").content.decode()
    client.cookies["voliere_language"] = "fr"
    page = client.get("/").content.decode()
    assert "En réponse à" in page
    assert "Replying to" not in page


# The action bar ------------------------------------------------------------------------

SHAPES = list(
    itertools.product(
        (True, False),  # signed in
        ("public", "internal", "followers", "direct"),
        (True, False),  # liked
        (True, False),  # bookmarked
        (True, False),  # reposted
        (True, False),  # the viewer's own post
    )
)


def _decorated(visibility: str, liked: bool, bookmarked: bool, reposted: bool, own: bool):
    post = Post(
        id=7234567890123, visibility=visibility, replies_count=3, reblogs_count=1234, likes_count=0
    )
    post.viewer_liked, post.viewer_bookmarked = liked, bookmarked
    post.viewer_reposted, post.viewer_is_author = reposted, own
    post.links = cards.post_links(post)
    return post


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("next_url", [None, '/tags/a?x=1&y="2"<'])
def test_action_bar_matches_the_template_in_every_shape(language, next_url):
    request = RequestFactory().get("/?limit=40&max_id=5")
    with translation.override(language):
        for signed_in, *flags in SHAPES:
            post = _decorated(*flags)
            context = {
                "p": post,
                "viewer": object() if signed_in else None,
                "request": request,
                "csrf_token": "Tok3n<&>",
            }
            if next_url is not None:
                context["next"] = next_url
            expected = render_to_string("posts/_actions.html", context)
            assert cards.action_bar(Context(context), post) == expected, (signed_in, flags)
    assert len(cards.BARS) == len(SHAPES)


def test_action_bar_counts_follow_the_thousand_separator_setting(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    post = _decorated("public", False, False, False, False)
    context = {"p": post, "viewer": object(), "request": RequestFactory().get("/")}
    with translation.override("en"):
        expected = render_to_string("posts/_actions.html", context)
        assert "1,234" in expected
        assert cards.action_bar(Context(context), post) == expected


def test_action_bar_without_a_csrf_token_draws_no_token_field():
    post = _decorated("public", False, False, False, False)
    context = {"p": post, "viewer": object(), "request": RequestFactory().get("/")}
    expected = render_to_string("posts/_actions.html", context)
    assert "csrfmiddlewaretoken" not in expected
    assert cards.action_bar(Context(context), post) == expected
