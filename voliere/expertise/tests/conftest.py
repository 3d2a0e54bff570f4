"""Expertise fixtures: people with skills and endorsements, and the knowledge fixtures
(communities, articles, questions made through the knowledge actions)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from voliere.accounts.actions import endorse_skill, set_skills
from voliere.accounts.models import Account, AccountSkill
from voliere.knowledge.tests.conftest import ask, make_community, write_article  # noqa: F401


@pytest.fixture
def person(make_user) -> Callable[..., Account]:
    """`person("handle", skills=["Réseaux"], endorsements=3)`: an account declaring
    `skills`, each endorsed by `endorsements` fresh colleagues."""

    def make(handle: str, *, skills: tuple[str, ...] = (), endorsements: int = 0) -> Account:
        account = make_user(handle).account
        set_skills(account, list(skills))
        for holding in AccountSkill.objects.filter(account=account):
            for n in range(endorsements):
                endorse_skill(make_user(f"{handle}_fan{n}").account, holding)
        return account

    return make
