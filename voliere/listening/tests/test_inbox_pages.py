"""Inbox pages over HTTP: permissions, CSRF, filters, HTMX actions, figures, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from voliere.accounts.actions import create_organisation
from voliere.listening.inbox import actions
from voliere.listening.models import InboxItem, InboxState
from voliere.listening.tests.test_inbox_helpers import (  # noqa: F401
    brand_fixture,
    inbox_item_fixture,
    match_and_route,
)
from voliere.posts.actions import publish_post
from voliere.posts.models import Post

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def inbox_url(**params: str) -> str:
    url = reverse("listening_inbox", kwargs={"org": "acme"})
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def item_url(item: InboxItem, action: str = "") -> str:
    name = f"listening_inbox_{action}" if action else "listening_inbox_item"
    return reverse(name, kwargs={"org": "acme", "item_id": item.pk})


ACTIONS = ["assign", "reply", "answered", "close", "reopen"]


def test_anonymous_visitor_is_sent_to_login(client, inbox_item):
    item = inbox_item()
    response = client.get(inbox_url())
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.post(item_url(item, "close"), **HTMX).status_code == 401
    assert InboxItem.objects.get(pk=item.pk).state == InboxState.NEW


def test_non_manager_gets_404_everywhere(login, bob, inbox_item):
    item = inbox_item("acme <b>secret</b> complaint")
    create_organisation(handle="globex", display_name="Globex", managers=[bob])
    client = login(bob)
    for url in [inbox_url(), item_url(item)]:
        for extra in ({}, HTMX):
            response = client.get(url, **extra)
            assert response.status_code == 404
            assert b"secret" not in response.content
    for action in ACTIONS:
        response = client.post(item_url(item, action), {"text": "hi", "assignee": "me"}, **HTMX)
        assert response.status_code == 404, action
    assert InboxItem.objects.get(pk=item.pk).state == InboxState.NEW
    # An item of acme is not reachable through globex's inbox either.
    other = reverse("listening_inbox_item", kwargs={"org": "globex", "item_id": item.pk})
    assert client.get(other).status_code == 404


def test_posts_without_csrf_token_are_refused(listener, inbox_item):
    item = inbox_item()
    client = Client(enforce_csrf_checks=True)
    client.force_login(listener)
    for action in ACTIONS:
        response = client.post(item_url(item, action), {"text": "hi", "assignee": "me"}, **HTMX)
        assert response.status_code == 403, action
    assert InboxItem.objects.get(pk=item.pk).state == InboxState.NEW
    page = client.get(inbox_url())
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content


def test_queue_is_oldest_first_with_waiting_time_and_escaped_text(login, listener, inbox_item):
    start = timezone.now() - timedelta(hours=10)
    with time_machine.travel(start, tick=False):
        old = inbox_item("acme <script>alert(1)</script> broke", author_followers=1234,
                         url="javascript:alert(2)")
    with time_machine.travel(start + timedelta(hours=7), tick=False):
        recent = inbox_item("acme is slow", url="https://x.example/status/9")
    with time_machine.travel(start + timedelta(hours=10, minutes=5), tick=False):
        response = login(listener).get(inbox_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(f'id="inbox-item-{old.pk}"') < html.index(f'id="inbox-item-{recent.pk}"')
    assert "waiting 10 h" in html and "waiting 3 h" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "javascript:alert(2)" not in html
    assert 'href="https://x.example/status/9"' in html
    assert "1234 followers" in html and "Acme" in html  # reach, matched topic


def test_filters_by_state_reason_topic_network(login, listener, inbox_item, make_topic,
                                               make_mention, brand):
    negative = inbox_item("acme broke", network="x")
    question = make_mention("acme rocket, does it fly?", is_question=True, network="bluesky")
    rocket = make_topic("Rocket", "rocket", kind="product")
    match_and_route(question, brand, rocket)
    question_item = InboxItem.objects.get(mention=question)
    closed = actions.close_item(listener, inbox_item("acme nope"))
    mine = actions.assign_item(listener, inbox_item("acme meh"), listener)
    client = login(listener)

    def shown(**params: str) -> set[int]:
        response = client.get(inbox_url(**params))
        assert response.status_code == 200
        return set(response.context["page"].items and
                   [i.pk for i in response.context["page"].items])

    assert shown() == {negative.pk, question_item.pk, mine.pk}
    assert shown(state="closed") == {closed.pk}
    assert shown(state="mine") == {mine.pk}
    assert shown(state="assigned") == {mine.pk}
    assert shown(state="new") == {negative.pk, question_item.pk}
    assert shown(reason="question") == {question_item.pk}
    assert shown(topic=str(rocket.pk)) == {question_item.pk}
    assert shown(network="bluesky") == {question_item.pk}
    assert shown(state="all") == {negative.pk, question_item.pk, closed.pk, mine.pk}


@pytest.mark.parametrize("params", [{"state": "bogus"}, {"reason": "x"}, {"topic": "999999"},
                                    {"topic": "abc"}, {"after": "-1"}, {"network": "x\x00"}])
def test_bad_filters_are_400_with_a_message(login, listener, organisation, params):
    response = login(listener).get(inbox_url(**params))
    assert response.status_code == 400
    assert response.context["error"].field == next(iter(params))


def test_topic_of_another_organisation_is_not_a_filter(login, listener, bob, make_topic):
    other = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    theirs = make_topic("Globex", "globex", organisation=other)
    assert login(listener).get(inbox_url(topic=str(theirs.pk))).status_code == 400


def test_htmx_assign_to_me_answers_the_card(login, listener, inbox_item):
    item = inbox_item()
    response = login(listener).post(item_url(item, "assign"), {"assignee": "me"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<article") and f'id="inbox-item-{item.pk}"' in html
    assert "Assigned to Alice" in html
    item.refresh_from_db()
    assert (item.state, item.assignee) == (InboxState.ASSIGNED, listener)


def test_assigning_a_non_manager_is_a_field_error(login, listener, inbox_item, bob):
    item = inbox_item()
    response = login(listener).post(item_url(item, "assign"), {"assignee": str(bob.pk)}, **HTMX)
    assert response.status_code == 400
    assert "Choose one of the organisation" in response.content.decode()
    assert InboxItem.objects.get(pk=item.pk).assignee is None


def _internal_item(make_mention, brand, author):
    parent = publish_post(author, "acme my order never came")
    mention = make_mention(parent.text, network="internal", external_id=str(parent.pk),
                           post=parent, sentiment="negative", author_handle=author.handle)
    match_and_route(mention, brand)
    return InboxItem.objects.get(mention=mention), parent


def test_reply_over_htmx_publishes_once(login, listener, make_mention, brand, carol):
    item, parent = _internal_item(make_mention, brand, carol.account)
    client = login(listener)
    response = client.post(item_url(item, "reply"), {"text": "Sorry, on it!"}, **HTMX)
    assert response.status_code == 200
    assert "Reply sent." in response.content.decode()
    again = client.post(item_url(item, "reply"), {"text": "Sorry, on it!"}, **HTMX)
    assert again.status_code == 409
    assert "already answered" in again.content.decode()
    replies = Post.objects.filter(in_reply_to=parent)
    assert [r.text for r in replies] == ["@carol Sorry, on it!"]
    # The conversation page shows the official answer to anyone.
    thread = Client().get(reverse("post", args=[parent.pk]))
    assert "Sorry, on it!" in thread.content.decode()


@pytest.mark.parametrize(("text", "message"), [("", "Write the reply first."),
                                               ("z" * 501, "at most 500 characters")])
def test_reply_text_errors_are_shown_on_the_field(login, listener, make_mention, brand, carol,
                                                  text, message):
    item, parent = _internal_item(make_mention, brand, carol.account)
    response = login(listener).post(item_url(item, "reply"), {"text": text}, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'aria-invalid="true"' in html
    assert not Post.objects.filter(in_reply_to=parent).exists()


def test_reply_to_closed_item_is_refused_with_message(login, listener, inbox_item):
    item = actions.close_item(listener, inbox_item())
    response = login(listener).post(item_url(item, "reply"), {"text": "late"}, **HTMX)
    assert response.status_code == 409
    assert "closed: reopen it first" in response.content.decode()


def test_without_htmx_actions_redirect_back_with_a_message(login, listener, inbox_item):
    item = inbox_item()
    client = login(listener)
    response = client.post(item_url(item, "close"), {"next": inbox_url(state="closed")})
    assert response.status_code == 302 and response["Location"] == inbox_url(state="closed")
    page = client.get(response["Location"])
    assert "Closed." in page.content.decode()
    evil = client.post(item_url(item, "reopen"), {"next": "https://evil.example/"})
    assert evil["Location"] == item_url(item)
    refused = client.post(item_url(item, "reopen"))
    assert refused.status_code == 409 and "already open" in refused.content.decode()


def test_mark_answered_and_reopen_over_htmx(login, listener, inbox_item):
    item = inbox_item()
    client = login(listener)
    assert client.post(item_url(item, "answered"), **HTMX).status_code == 200
    assert InboxItem.objects.get(pk=item.pk).state == InboxState.ANSWERED
    response = client.post(item_url(item, "reopen"), **HTMX)
    assert response.status_code == 200 and "Mark answered" in response.content.decode()


def test_response_time_figures(login, listener, inbox_item):
    """Answered after 1, 2, 3 … 10 hours: median 5.5 h → "5 h", p90 (nearest rank) 9 h;
    one left open for 12 h; one answered 40 days ago is out of the window."""
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=41), tick=False):
        ancient = inbox_item("acme old")
    with time_machine.travel(now - timedelta(days=40), tick=False):
        actions.mark_answered(listener, ancient)
    for hours in range(1, 11):
        with time_machine.travel(now - timedelta(days=2), tick=False):
            item = inbox_item(f"acme bad {hours}")
        with time_machine.travel(now - timedelta(days=2) + timedelta(hours=hours), tick=False):
            actions.mark_answered(listener, item)
    with time_machine.travel(now - timedelta(hours=12), tick=False):
        inbox_item("acme still waiting")
    with time_machine.travel(now, tick=False):
        response = login(listener).get(inbox_url())
    times = response.context["times"]
    assert (times.routed, times.answered, times.open_count) == (11, 10, 1)
    assert times.median == timedelta(hours=5, minutes=30)
    assert times.p90 == timedelta(hours=9)
    html = response.content.decode()
    assert '<strong class="inbox-big" id="ttfr-median">5 h</strong>' in html
    assert '<strong class="inbox-big" id="ttfr-p90">9 h</strong>' in html
    assert "oldest waiting 12 h" in html
    answered = login(listener).get(inbox_url(state="answered")).content.decode()
    assert "first response after 9 h" in answered


def test_item_page_and_htmx_fragment(login, listener, inbox_item):
    item = inbox_item()
    client = login(listener)
    page = client.get(item_url(item))
    assert page.status_code == 200 and "<html" in page.content.decode()
    fragment = client.get(item_url(item), **HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_queue_queries_do_not_grow_with_page_size(
    login, listener, inbox_item, make_topic, count, django_assert_num_queries,
):
    make_topic("Rocket", "acme", kind="product")  # a second matching topic per item
    for n in range(count):
        actions.assign_item(listener, inbox_item(f"acme bad {n}"), listener)
    client = login(listener)
    client.get(inbox_url())  # warm the session and the caches
    # session, user, organisation, filters' topics, networks, managers, figures (2),
    # items, matched topics, …: the same whatever the number of items.
    with django_assert_num_queries(10) as captured:
        response = client.get(inbox_url())
    assert len(response.context["page"].items) == count
    assert len(captured.captured_queries) == 10, [q["sql"][:90] for q in captured.captured_queries]


def test_pages_follow_the_after_cursor(login, listener, inbox_item):
    from voliere.listening.inbox.queries import PAGE_SIZE

    items = [inbox_item(f"acme bad {n}") for n in range(PAGE_SIZE + 3)]
    client = login(listener)
    first = client.get(inbox_url()).context["page"]
    assert [i.pk for i in first.items] == [i.pk for i in items[:PAGE_SIZE]]
    second = client.get(inbox_url(after=str(first.next_after))).context["page"]
    assert [i.pk for i in second.items] == [i.pk for i in items[PAGE_SIZE:]]
    assert second.next_after is None
