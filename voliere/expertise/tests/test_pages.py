"""The finder, ask and report pages through HTTP: permissions, errors, escaping, queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voliere.expertise.models import RoutedQuestion
from voliere.expertise.ranking import find_experts
from voliere.knowledge.actions import forum
from voliere.knowledge.models import Thread
from voliere.posts.actions import publish_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(person, login):
    account = person("member")
    login(account.user)
    return account


def test_the_finder_is_for_members_only(client):
    response = client.get(reverse("experts"), {"q": "réseaux"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("experts_report")).status_code == 302
    assert client.post(reverse("experts_ask"), {"query": "x"}).status_code == 302


def test_the_finder_shows_people_with_their_reasons(client, member, person, ask):
    expert = person("expert", skills=("Réseaux industriels",), endorsements=2)
    thread = ask(member, title="Le réseau est en panne", body="Le réseau est coupé, qui sait ?")
    answer = forum.answer_question(expert, thread, "Redémarrez le switch.")
    forum.accept_answer(member, answer)

    page = client.get(reverse("experts"), {"q": "reseau"}).content.decode()

    assert "@expert" in page and "Réseaux industriels" in page and "2 endorsements" in page
    assert f'href="{thread.get_absolute_url()}#answer-{answer.pk}"' in page
    assert "1 accepted answer" in page
    assert 'name="request_key"' in page and 'value="reseau"' in page  # the ask form


def test_empty_page_then_helpful_messages_for_bad_queries(client, member):
    page = client.get(reverse("experts"))
    assert page.status_code == 200 and "Type a subject" not in page.content.decode()
    for query, message in [
        ("", "Type a subject to find who knows about it"),
        ("   ", "Type a subject to find who knows about it"),
        ("from:alice", "“from:” is a search filter"),
        ('"unclosed', "is never closed"),
        ("-only", "Add at least one word"),
        ("wild*", "Wildcards"),
    ]:
        response = client.get(reverse("experts"), {"q": query})
        assert response.status_code == 400, query
        assert message in response.content.decode(), query


def test_nobody_found_says_so(client, member):
    response = client.get(reverse("experts"), {"q": "astrophysique"})
    assert response.status_code == 200
    assert "Nobody found for “astrophysique”" in response.content.decode()


def test_what_people_wrote_is_escaped(client, member, person):
    publish_post(person("author"), "<script>alert(1)</script> corrosion des brides")
    page = client.get(reverse("experts"), {"q": "corrosion"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; corrosion" in page


def test_finder_queries_do_not_grow_with_the_number_of_experts(client, member, person):
    def add(first: int, count: int) -> None:
        for n in range(first, first + count):
            expert = person(f"expert{n}", skills=("Soudure",), endorsements=1)
            publish_post(expert, f"Soudure à l'arc, essai {n}, qui veut voir ?")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("experts"), {"q": "soudure"}).status_code == 200
        return len(queries)

    add(0, 2)
    few = count()
    add(2, 10)
    assert count() == few


@pytest.mark.parametrize("experts", [2, 8])
def test_find_experts_costs_a_fixed_number_of_queries(
    member, person, ask, write_article, django_assert_num_queries, experts
):
    thread = ask(member, title="Soudure à l'arc : quel poste ?")
    for n in range(experts):
        expert = person(f"expert{n}", skills=("Soudure",))
        publish_post(expert, f"Soudure à l'arc, essai {n}, qui veut voir ?")
        forum.answer_question(expert, thread, "Un poste inverter.")
        write_article(expert, title=f"Soudure, leçon {n}")
    # skills, holders, then for posts, articles and questions: the index and the visible
    # rows; then the accounts and the excerpts of the posts shown
    with django_assert_num_queries(10):
        assert len(find_experts(member, "soudure")) == experts


def test_asking_through_the_page(client, member, person, run_on_commit):
    expert = person("expert", skills=("Hydraulique",))
    form = client.get(reverse("experts"), {"q": "hydraulique"}).content.decode()
    key = re.search(r'name="request_key" value="([^"]+)"', form).group(1)
    data = {
        "query": "hydraulique",
        "title": "Fuite sur le vérin",
        "body": "Le vérin fuit.",
        "visibility": "internal",
        "experts": "3",
        "request_key": key,
    }
    with run_on_commit():
        response = client.post(reverse("experts_ask"), data)
        again = client.post(reverse("experts_ask"), data)
    question = RoutedQuestion.objects.get()
    assert response.status_code == 302 == again.status_code
    assert response["Location"] == again["Location"] == question.thread.get_absolute_url()
    assert "sent to 1 expert" in client.get(response["Location"]).content.decode()

    client.force_login(expert.user)
    notifications = client.get(reverse("notifications")).content.decode()
    assert "@member asks for your expertise: “Fuite sur le vérin”" in notifications


def test_asking_with_bad_input_shows_the_form_again(client, member, person):
    person("expert", skills=("Hydraulique",))
    response = client.post(
        reverse("experts_ask"),
        {"query": "hydraulique", "title": "", "body": "Le vérin", "visibility": "internal"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "A title is required." in page and "@expert" in page
    response = client.post(
        reverse("experts_ask"),
        {"query": "hydraulique", "title": "Fuite", "body": "Le vérin fuit.", "experts": "40"},
    )
    assert response.status_code == 400
    assert "Ask between 1 and 10 experts." in response.content.decode()
    assert not Thread.objects.exists()


def test_report_page(client, member, ask):
    ask(member, title="Une question")
    page = client.get(reverse("experts_report"))
    assert page.status_code == 200
    assert "0 sent to experts" in page.content.decode()
    assert "1 other question<" in page.content.decode()
    weekly = client.get(reverse("experts_report"), {"period": "week"})
    assert weekly.status_code == 200
    bad = client.get(reverse("experts_report"), {"period": "year"})
    assert bad.status_code == 400
    assert "The period must be “week” or “month”" in bad.content.decode()


def test_sending_an_existing_question_from_its_page(client, member, person, ask, run_on_commit):
    expert = person("expert", skills=("Hydraulique",))
    thread = ask(member, title="Fuite sur le vérin", tags="hydraulique")
    page = client.get(thread.get_absolute_url()).content.decode()
    link = f"{reverse('experts')}?q=hydraulique&amp;thread={thread.pk}"
    assert link in page

    finder = client.get(reverse("experts"), {"q": "hydraulique", "thread": thread.pk})
    assert f'action="{reverse("experts_route", args=[thread.pk])}"' in finder.content.decode()
    with run_on_commit():
        response = client.post(
            reverse("experts_route", args=[thread.pk]), {"query": "hydraulique", "experts": "2"}
        )
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert [r.expert for r in RoutedQuestion.objects.get(thread=thread).routes.all()] == [expert]

    client.force_login(expert.user)
    assert link not in client.get(thread.get_absolute_url()).content.decode()
    finder = client.get(reverse("experts"), {"q": "hydraulique", "thread": thread.pk})
    assert reverse("experts_route", args=[thread.pk]) not in finder.content.decode()
    refused = client.post(reverse("experts_route", args=[thread.pk]), {"query": "hydraulique"})
    assert refused.status_code == 403
