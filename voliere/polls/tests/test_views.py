"""The web poll block and vote form: per viewer, CSRF-protected, as visible as the post;
and the card body's placeholder, drawn from `polls_for` without a query per card."""

from __future__ import annotations

import pytest
from django.test import Client

from voliere.polls.actions import PollSpec, create_poll
from voliere.polls.models import PollVote
from voliere.polls.queries import polls_for
from voliere.posts import cards
from voliere.posts.actions import publish_post
from voliere.posts.models import Post
from voliere.posts.presentation import decorate_for_viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll(bob):
    post = publish_post(bob.account, "tea or coffee?")
    return create_poll(post, PollSpec(options=["tea", "coffee"], expires_in=3600))


def test_block_offers_the_form_then_shows_results(login, alice, poll):
    client = login(alice)
    block = client.get(f"/polls/{poll.id}/")
    assert block.status_code == 200
    assert b'name="choices" value="1"' in block.content
    voted = client.post(f"/polls/{poll.id}/vote/", {"choices": ["1"]}, HTTP_HX_REQUEST="true")
    assert voted.status_code == 200
    assert b'name="choices"' not in voted.content
    assert b"100%" in voted.content and b"your vote" in voted.content
    assert PollVote.objects.get().option.title == "coffee"


def test_vote_without_js_redirects_back_and_bad_choice_is_400(login, alice, poll):
    client = login(alice)
    response = client.post(f"/polls/{poll.id}/vote/", {"choices": ["1"], "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    again = client.post(f"/polls/{poll.id}/vote/", {"choices": ["0"]})
    assert again.status_code == 400 and "already voted" in again.content.decode()


def test_vote_needs_csrf_and_a_signed_in_member(alice, poll):
    anonymous = Client()
    assert anonymous.post(f"/polls/{poll.id}/vote/", {"choices": ["0"]}).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post(f"/polls/{poll.id}/vote/", {"choices": ["0"]}).status_code == 403
    assert not PollVote.objects.exists()


def test_poll_of_hidden_post_is_404(login, alice, bob):
    post = publish_post(bob.account, "friends only?", visibility="followers")
    hidden = create_poll(post, PollSpec(options=["a", "b"], expires_in=3600))
    client = login(alice)
    assert client.get(f"/polls/{hidden.id}/").status_code == 404
    assert client.post(f"/polls/{hidden.id}/vote/", {"choices": ["0"]}).status_code == 404
    assert not PollVote.objects.exists()


def test_card_body_draws_the_placeholder(alice, poll, django_assert_num_queries):
    cards.BODIES.clear()
    plain = publish_post(alice.account, "no poll here")
    posts = decorate_for_viewer(
        Post.objects.for_display().filter(pk__in=[poll.post_id, plain.id]).order_by("-id"),
        alice.account,
    )
    with django_assert_num_queries(1):
        polls_for([p.shown for p in posts])
    bodies = {p.id: str(cards.card_body(p)) for p in posts}
    assert f'hx-get="/polls/{poll.id}/"' in bodies[poll.post_id]
    assert "/polls/" not in bodies[plain.id]


def test_profile_page_card_loads_the_poll_block_for_posts_and_reposts(login, alice, bob, poll):
    """The web cards get the poll id from the page's own timeline query (no extra query)."""
    from voliere.posts.actions import repost

    repost(alice.account, poll.post)
    client = login(alice)
    for handle in ("bob", "alice"):  # the original on bob's profile, the repost on alice's
        page = client.get(f"/@{handle}/")
        assert page.status_code == 200
        assert f'hx-get="/polls/{poll.id}/"'.encode() in page.content, handle
