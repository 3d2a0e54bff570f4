"""The demo's ask-an-expert history makes the report tell its story."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from voliere.accounts.models import Account, AccountKind
from voliere.expertise.demo import ROUTED, seed_expertise
from voliere.expertise.models import ExpertRoute, RoutedQuestion
from voliere.expertise.report import time_to_answer_report

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_demo_routed_questions_are_answered_in_about_an_hour(person):
    acme = Account.objects.create(
        kind=AccountKind.ORGANISATION, handle="acme", handle_lower="acme", display_name="Acme"
    )
    subjects = sorted({subject for subject, _title in ROUTED})
    people = [person(f"p{n}", skills=(subjects[n % len(subjects)],)) for n in range(30)]
    Account.objects.filter(pk__in=[p.pk for p in people]).update(organisation=acme)

    assert seed_expertise(random.Random(3), NOW) == 40

    assert RoutedQuestion.objects.count() == len(ROUTED)
    assert ExpertRoute.objects.count() >= len(ROUTED)
    report = time_to_answer_report(people[0], period="month", now=NOW)
    assert report.routed.asked == len(ROUTED) and report.routed.answered >= 18
    assert report.routed.median_first < timedelta(hours=2)
    assert report.others.median_first > timedelta(days=3)
    assert report.routed.median_accepted < report.others.median_accepted
