"""Forum threads: answers, votes (one per person), accepted answers, timestamps, filters."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from voliere.communities import actions as community_actions
from voliere.core.exceptions import Forbidden, InvalidInput
from voliere.knowledge.actions import forum
from voliere.knowledge.models import AnswerVote
from voliere.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_answers_record_first_answer_time_and_tell_the_asker(alice, bob, carol, ask, run_on_commit):
    thread = ask(alice.account)
    assert thread.first_answer_at is None
    with run_on_commit():
        first = forum.answer_question(bob.account, thread, "Use a ball valve.")
    forum.answer_question(carol.account, thread, "Or a gate valve.")
    thread.refresh_from_db()
    assert thread.answers_count == 2
    assert thread.first_answer_at == first.created_at
    note = Notification.objects.get(recipient=alice.account, kind="answer")
    assert (note.actor_id, note.subject_type, note.subject_id) == (
        bob.account.pk,
        "thread",
        thread.pk,
    )


def test_one_vote_per_person_and_none_for_oneself(alice, bob, carol, ask):
    thread = ask(alice.account)
    answer = forum.answer_question(bob.account, thread, "Use a ball valve.")
    assert forum.vote_for_answer(alice.account, answer) is True
    assert forum.vote_for_answer(alice.account, answer) is False
    assert forum.vote_for_answer(carol.account, answer) is True
    answer.refresh_from_db()
    assert answer.score == 2
    with pytest.raises(InvalidInput, match="your own answer"):
        forum.vote_for_answer(bob.account, answer)
    assert forum.withdraw_vote(alice.account, answer) is True
    answer.refresh_from_db()
    assert answer.score == 1


def test_the_database_refuses_a_second_vote(alice, bob, ask):
    thread = ask(alice.account)
    answer = forum.answer_question(bob.account, thread, "Use a ball valve.")
    AnswerVote.objects.create(answer=answer, voter=alice.account)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerVote.objects.create(answer=answer, voter=alice.account)


def test_accepting_an_answer(alice, bob, carol, ask, run_on_commit):
    thread = ask(alice.account)
    answer = forum.answer_question(bob.account, thread, "Use a ball valve.")
    with pytest.raises(Forbidden):
        forum.accept_answer(carol.account, answer)
    with run_on_commit():
        forum.accept_answer(alice.account, answer)
    thread.refresh_from_db()
    assert thread.accepted_answer_id == answer.pk and thread.accepted_at is not None
    assert thread.is_solved
    assert Notification.objects.filter(recipient=bob.account, kind="answer_accepted").exists()
    forum.unaccept_answer(alice.account, thread)
    thread.refresh_from_db()
    assert thread.accepted_answer_id is None and thread.accepted_at is None
    assert thread.first_answer_at is not None


def test_community_moderators_may_accept_for_the_asker(alice, bob, carol, make_community, ask):
    community = make_community(carol.account, "open", alice.account, bob.account)
    thread = ask(alice.account, community=community)
    answer = forum.answer_question(alice.account, thread, "Found it myself.")
    forum.accept_answer(carol.account, answer)  # carol owns the community
    thread.refresh_from_db()
    assert thread.accepted_answer_id == answer.pk
    with pytest.raises(Forbidden):
        forum.accept_answer(bob.account, answer)


def test_answering_in_a_community_needs_membership(alice, bob, make_community, ask):
    community = make_community(alice.account, "open")
    thread = ask(alice.account, community=community, visibility="public")
    with pytest.raises(Forbidden, match="Join the community"):
        forum.answer_question(bob.account, thread, "Outside view")
    community_actions.join_community(bob.account, community)
    forum.answer_question(bob.account, thread, "Member view")


def test_answers_sorted_accepted_first_then_by_votes(login, alice, bob, carol, make_user, ask):
    thread = ask(alice.account)
    low = forum.answer_question(bob.account, thread, "Low answer")
    high = forum.answer_question(carol.account, thread, "High answer")
    accepted = forum.answer_question(make_user("dan").account, thread, "Accepted answer")
    forum.vote_for_answer(alice.account, high)
    forum.vote_for_answer(bob.account, high)
    forum.vote_for_answer(alice.account, low)
    forum.accept_answer(alice.account, accepted)
    body = login(bob).get(thread.get_absolute_url()).content.decode()
    positions = [body.index(text) for text in ("Accepted answer", "High answer", "Low answer")]
    assert positions == sorted(positions)


def test_unanswered_and_solved_filters(client, alice, bob, ask, login):
    ask(alice.account, title="Nobody knows", visibility="public")
    answered = ask(alice.account, title="Someone answered", visibility="public")
    solved = ask(alice.account, title="All sorted", visibility="public")
    forum.answer_question(bob.account, answered, "maybe")
    forum.accept_answer(alice.account, forum.answer_question(bob.account, solved, "yes"))
    url = reverse("knowledge")

    def titles(**params: str) -> set[str]:
        body = client.get(url, {"tab": "questions", **params}).content.decode()
        return {t for t in ("Nobody knows", "Someone answered", "All sorted") if t in body}

    assert titles() == {"Nobody knows", "Someone answered", "All sorted"}
    assert titles(state="unanswered") == {"Nobody knows"}
    assert titles(state="solved") == {"All sorted"}
    response = client.get(url, {"tab": "questions", "state": "weird"})
    assert response.status_code == 400 and "unanswered, solved" in response.content.decode()


def test_voting_and_accepting_through_the_page(login, alice, bob, ask):
    thread = ask(alice.account)
    answer = forum.answer_question(bob.account, thread, "Use a ball valve.")
    client = login(alice)
    response = client.post(reverse("knowledge_vote", args=[answer.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Voted" in response.content.decode()
    client.post(reverse("knowledge_vote", args=[answer.pk]))
    answer.refresh_from_db()
    assert answer.score == 1
    assert client.post(reverse("knowledge_accept", args=[answer.pk])).status_code == 302
    thread.refresh_from_db()
    assert thread.accepted_answer_id == answer.pk
    response = login(bob).post(reverse("knowledge_accept", args=[answer.pk]))
    assert response.status_code == 403


def test_empty_answer_is_refused_with_a_message(login, alice, bob, ask):
    thread = ask(alice.account)
    response = login(bob).post(reverse("knowledge_thread_answer", args=[thread.pk]), {"body": " "})
    assert response.status_code == 400
    assert "The text cannot be empty." in response.content.decode()
    thread.refresh_from_db()
    assert thread.answers_count == 0
