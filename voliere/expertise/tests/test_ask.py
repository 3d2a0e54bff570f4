"""Ask-an-expert: routing to the top N, notifications once, double submissions, errors."""

from __future__ import annotations

import pytest

from voliere.communities.actions import leave_community
from voliere.core.exceptions import Forbidden, InvalidInput
from voliere.expertise import actions
from voliere.expertise.models import ExpertRoute, RoutedQuestion
from voliere.expertise.notify import notify_experts
from voliere.knowledge.models import Thread
from voliere.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def experts(person):
    """Four hydraulics experts, best first (more endorsements rank higher)."""
    return [person(f"hydro{n}", skills=("Hydraulique",), endorsements=4 - n) for n in range(4)]


def ask_hydraulics(viewer, **fields):
    fields.setdefault("query", "hydraulique")
    fields.setdefault("title", "Fuite sur le vérin principal")
    fields.setdefault("body", "Le vérin fuit depuis ce matin, qui peut aider ?")
    return actions.ask_experts(viewer, **fields)


def expert_notifications():
    return Notification.objects.filter(kind="expert_question").order_by("recipient_id")


def test_question_goes_to_the_top_n_experts_once(person, experts, run_on_commit):
    asker = person("asker", skills=("Hydraulique",), endorsements=9)  # never asks themself
    with run_on_commit():
        question = ask_hydraulics(asker, experts=2)

    routes = list(ExpertRoute.objects.filter(question=question))
    assert [r.expert for r in routes] == experts[:2]
    assert [r.rank for r in routes] == [1, 2]
    assert all(r.notified_at is not None for r in routes)
    assert question.thread.author == asker and question.experts_wanted == 2
    notified = list(expert_notifications())
    assert [n.recipient for n in notified] == experts[:2]
    assert {(n.actor, n.subject_type, n.subject_id) for n in notified} == {
        (asker, "thread", question.thread_id)
    }

    assert notify_experts(question.pk) == 0  # a retried task tells nobody twice
    assert expert_notifications().count() == 2


def test_default_number_of_experts_is_three_and_configurable(
    person, experts, run_on_commit, settings
):
    asker = person("asker")
    with run_on_commit():
        question = ask_hydraulics(asker)
    assert question.routes.count() == 3
    settings.EXPERTISE_EXPERTS_PER_QUESTION = 1
    assert ask_hydraulics(asker, title="Encore une fuite").routes.count() == 1


def test_double_submission_returns_the_first_question(person, experts, run_on_commit):
    asker = person("asker")
    with run_on_commit():
        first = ask_hydraulics(asker, request_key="k-1")
        again = ask_hydraulics(asker, request_key="k-1", title="Changed title")

    assert again.pk == first.pk
    assert Thread.objects.filter(author=asker).count() == 1
    assert expert_notifications().count() == 3


def test_routing_a_thread_twice_keeps_the_first_routing(person, experts, ask, run_on_commit):
    asker = person("asker")
    thread = ask(asker, title="Pompe hydraulique bruyante")
    with run_on_commit():
        first = actions.route_question(asker, thread, "hydraulique", experts=1)
        second = actions.route_question(asker, thread, "hydraulique", experts=4)

    assert second.pk == first.pk
    assert ExpertRoute.objects.filter(question=first).count() == 1
    assert expert_notifications().count() == 1


def test_only_the_asker_may_route_their_question(person, experts, ask):
    thread = ask(person("asker"))
    with pytest.raises(Forbidden):
        actions.route_question(experts[0], thread, "hydraulique")
    assert not RoutedQuestion.objects.exists()


def test_secret_community_question_goes_only_to_members(
    person, experts, make_community, run_on_commit
):
    owner = person("owner")
    member = experts[3]  # the weakest expert, but the only one who may read it
    secret = make_community(owner, "secret", member)
    with run_on_commit():
        question = ask_hydraulics(owner, community=secret, experts=3)

    assert [r.expert for r in question.routes.all()] == [member]
    assert [n.recipient for n in expert_notifications()] == [member]


def test_an_expert_who_lost_access_is_not_notified(person, experts, make_community):
    owner = person("owner")
    secret = make_community(owner, "secret", experts[0], experts[1])
    question = ask_hydraulics(owner, community=secret, experts=2)  # not committed yet
    leave_community(experts[0], secret)

    assert notify_experts(question.pk) == 1
    assert [n.recipient for n in expert_notifications()] == [experts[1]]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"experts": 0}, "experts"),
        ({"experts": 11}, "experts"),
        ({"experts": "three"}, "experts"),
        ({"query": ""}, "q"),
        ({"query": "from:alice"}, "q"),
        ({"title": "  "}, "title"),
        ({"body": ""}, "body"),
        ({"visibility": "everyone"}, "visibility"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(person, experts, fields, field):
    asker = person("asker")
    with pytest.raises(InvalidInput) as caught:
        ask_hydraulics(asker, **fields)
    assert caught.value.field == field
    assert not Thread.objects.exists()
    assert not RoutedQuestion.objects.exists()


def test_no_expert_found_still_asks_in_the_forum(person, run_on_commit):
    with run_on_commit():
        question = ask_hydraulics(person("asker"), query="astrophysique")
    assert question.routes.count() == 0
    assert Thread.objects.filter(pk=question.thread_id).exists()
    assert not expert_notifications().exists()
