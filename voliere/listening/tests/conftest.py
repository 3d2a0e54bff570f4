"""Listening fixtures: an organisation managed by alice, topics, and mentions.

`make_mention` writes a `Mention` row directly: for tests of parts downstream of the
ingestion (dashboards, alerts, inbox). Tests of the ingestion itself, and end-to-end
tests, go through `voliere.listening.ingest` instead. The live server and browser fixtures
(and the hooks that put the SQLite test database in a file another process can open) come
from `tests/conftest.py`, so these tests also run alone (`pytest voliere/listening`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime

import pytest
from django.utils import timezone

from tests.conftest import (  # noqa: F401 — fixtures and hooks, re-exported for pytest
    asgi_server,
    browser,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_unconfigure,
)
from voliere.accounts.actions import create_organisation
from voliere.accounts.models import Account, User
from voliere.listening.models import Mention, Topic

_ids = itertools.count(1)


@pytest.fixture
def organisation(alice: User) -> Account:
    """Acme, whose official account alice manages (so alice may use its listening)."""
    return create_organisation(handle="acme", display_name="Acme", managers=[alice])


@pytest.fixture
def listener(alice: User, organisation: Account) -> User:
    return alice


@pytest.fixture
def make_topic(organisation: Account) -> Callable[..., Topic]:
    def make(name: str, query: str, *, kind: str = "brand", **fields: object) -> Topic:
        return Topic.objects.create(organisation=fields.pop("organisation", organisation),
                                    name=name, query=query, kind=kind, **fields)

    return make


@pytest.fixture
def make_mention(db) -> Callable[..., Mention]:
    def make(text: str, *, published_at: datetime | None = None, **fields: object) -> Mention:
        number = next(_ids)
        fields.setdefault("network", "x")
        fields.setdefault("external_id", f"t{number}")
        fields.setdefault("author_handle", f"author{number}")
        return Mention.objects.create(text=text, published_at=published_at or timezone.now(),
                                      **fields)

    return make
