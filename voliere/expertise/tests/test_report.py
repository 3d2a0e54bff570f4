"""Time to first and accepted answer, routed questions against the others."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
import time_machine

from voliere.core.exceptions import InvalidInput
from voliere.expertise import actions
from voliere.expertise.report import percentile, time_to_answer_report
from voliere.knowledge.actions import forum

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)  # a Monday
NOW = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=datetime.UTC)


def answered(asker, helper, thread, *, first: timedelta, accepted: timedelta | None, start):
    with time_machine.travel(start + first, tick=False):
        answer = forum.answer_question(helper, thread, "Voici comment faire.")
    if accepted is not None:
        with time_machine.travel(start + accepted, tick=False):
            forum.accept_answer(asker, answer)


@pytest.fixture
def history(person, ask):
    """Two routed questions answered within the hour, three others answered in days, one
    unanswered, over two weeks of March 2026."""
    asker, expert = person("asker"), person("expert", skills=("Hydraulique",))
    for week, first in ((0, timedelta(minutes=40)), (1, timedelta(minutes=80))):
        start = START + timedelta(weeks=week)
        with time_machine.travel(start, tick=False):
            question = actions.ask_experts(
                asker, query="hydraulique", title=f"Fuite {week}", body="Le vérin fuit."
            )
        answered(asker, expert, question.thread, first=first, accepted=first * 2, start=start)
    for days in (2, 10, 12):
        with time_machine.travel(START, tick=False):
            thread = ask(asker, title=f"Question {days}")
        answered(asker, expert, thread, first=timedelta(days=days), accepted=None, start=START)
    with time_machine.travel(START, tick=False):
        ask(asker, title="Sans réponse")
    return asker


def test_routed_questions_against_the_others(history):
    report = time_to_answer_report(history, period="month", now=NOW)

    assert (report.routed.asked, report.routed.answered, report.routed.accepted) == (2, 2, 2)
    assert report.routed.median_first == timedelta(minutes=60)
    assert report.routed.p90_first == timedelta(minutes=80)
    assert report.routed.median_accepted == timedelta(minutes=120)
    assert (report.others.asked, report.others.answered, report.others.accepted) == (4, 3, 0)
    assert report.others.median_first == timedelta(days=10)
    assert report.others.p90_first == timedelta(days=12)
    assert report.others.median_accepted is None
    assert [row.start for row in report.rows] == [datetime.date(2026, 3, 1)]


def test_weeks_split_the_figures(history):
    report = time_to_answer_report(history, period="week", now=NOW)

    assert [row.start for row in report.rows] == [
        datetime.date(2026, 3, 9),
        datetime.date(2026, 3, 2),
    ]
    latest, earliest = report.rows
    assert (latest.routed.asked, latest.others.asked) == (1, 0)
    assert latest.routed.median_first == timedelta(minutes=80)
    assert (earliest.routed.asked, earliest.others.asked) == (1, 4)


def test_old_questions_fall_outside_the_periods(history):
    later = NOW + timedelta(days=120)
    assert time_to_answer_report(history, period="week", now=later).rows == []
    assert len(time_to_answer_report(history, period="month", now=later).rows) == 1


def test_secret_community_questions_count_only_for_members(person, make_community, ask):
    owner, outsider = person("owner"), person("outsider")
    secret = make_community(owner, "secret")
    ask(owner, title="Question secrète", community=secret)

    assert time_to_answer_report(owner).others.asked == 1
    assert time_to_answer_report(outsider).others.asked == 0


def test_unknown_period_is_refused():
    with pytest.raises(InvalidInput) as caught:
        time_to_answer_report(None, period="year")
    assert caught.value.field == "period"


def test_percentiles_use_the_nearest_rank():
    values = [float(n) for n in range(1, 11)]
    assert percentile(values, 0.9) == 9.0
    assert percentile(values, 0.5) == 5.0
    assert percentile([3.0], 0.9) == 3.0
    assert percentile([], 0.9) is None
