"""Shared by the inbox tests (no tests here): a mention matched by topics and routed the
way the ingestion does it (`save_matches` then `route_matches`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from voliere.listening.inbox.routing import route_matches
from voliere.listening.matches import save_matches
from voliere.listening.models import InboxItem, Mention, Topic


def match_and_route(mention: Mention, *topics: Topic) -> list[InboxItem]:
    """What the ingestion does with a stored mention its topics matched."""
    return route_matches(save_matches([(topic.pk, mention) for topic in topics]))


@pytest.fixture(name="brand")
def brand_fixture(make_topic) -> Topic:
    return make_topic("Acme", "acme")


@pytest.fixture(name="inbox_item")
def inbox_item_fixture(make_mention, brand) -> Callable[..., InboxItem]:
    """A new inbox item of acme for a negative (default) mention: `inbox_item(text, ...)`."""

    def make(text: str = "acme broke my order", **fields: object) -> InboxItem:
        fields.setdefault("sentiment", "negative")
        mention = make_mention(text, **fields)
        match_and_route(mention, brand)
        return InboxItem.objects.get(mention=mention)

    return make
