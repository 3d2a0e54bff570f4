"""Knowledge fixtures: communities of each kind, and items made through the actions."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from voliere.accounts.models import Account
from voliere.communities import actions as community_actions
from voliere.communities.models import Community
from voliere.knowledge.actions import articles, forum
from voliere.knowledge.actions.articles import Destination
from voliere.knowledge.models import Article, Thread


@pytest.fixture
def make_community(db) -> Callable[..., Community]:
    def make(owner: Account, kind: str = "open", *members: Account, name: str = "") -> Community:
        community = community_actions.create_community(
            owner, name=name or f"Guild {kind} {Community.objects.count() + 1}", kind=kind
        )
        for member in members:
            if kind != "open":
                community_actions.invite_to_community(owner, community, member)
            community_actions.join_community(member, community)
        return community

    return make


@pytest.fixture
def write_article() -> Callable[..., Article]:
    def write(author: Account, **fields: object) -> Article:
        community = fields.pop("community", None)
        destination = Destination(community=community) if community else Destination(blog=author)
        fields.setdefault("title", "How we calibrate sensors")
        fields.setdefault("body", "Step **one**: read the manual.")
        fields.setdefault("publish", True)
        return articles.create_article(author, destination=destination, **fields)

    return write


@pytest.fixture
def ask() -> Callable[..., Thread]:
    def do(author: Account, **fields: object) -> Thread:
        fields.setdefault("title", "Which valve fits a 3 bar line?")
        fields.setdefault("body", "We need a replacement by **Friday**.")
        return forum.ask_question(author, **fields)

    return do
