"""The demo knowledge on a small company: varied, consistent, and quick to write."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime

import pytest

from voliere.accounts.models import Account, AccountKind
from voliere.demo.knowledge import seed_knowledge
from voliere.demo.people import ADMIN_LOGIN, EMPLOYEE_LOGIN
from voliere.knowledge.models import Article, ReviewState, Thread
from voliere.knowledge.queries import review_queue

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_demo_knowledge_looks_real(make_user, make_community):
    acme = Account.objects.create(
        kind=AccountKind.ORGANISATION, handle="acme", handle_lower="acme", display_name="Acme"
    )
    people = [make_user(EMPLOYEE_LOGIN[0]), make_user(ADMIN_LOGIN[0])]
    people += [make_user() for _ in range(14)]
    Account.objects.filter(pk__in=[u.account_id for u in people]).update(organisation=acme)
    accounts = [u.account for u in people]
    make_community(accounts[2], "open", *accounts[3:8])
    make_community(accounts[3], "secret", *accounts[8:12])
    started = time.perf_counter()
    assert seed_knowledge(random.Random(1), NOW) == 50
    assert time.perf_counter() - started < 20
    assert Article.objects.filter(status="published").count() >= 20
    assert Article.objects.filter(status="draft").exists()
    assert Article.objects.filter(community__isnull=False).exists()
    assert Article.objects.filter(review_state=ReviewState.VALIDATED).exists()
    assert Thread.objects.filter(answers_count=0).exists()
    assert Thread.objects.filter(accepted_answer__isnull=False).exists()
    assert Thread.objects.filter(answers_count__gt=0, accepted_answer__isnull=True).exists()
    for thread in Thread.objects.filter(answers_count__gt=0):
        assert NOW > thread.first_answer_at > thread.created_at
        if thread.accepted_answer_id:
            assert thread.accepted_at >= thread.first_answer_at
    admin = Account.objects.get(handle_lower=ADMIN_LOGIN[0])
    assert len(review_queue(admin)) > 0
