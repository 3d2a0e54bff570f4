"""Fixtures shared by every test: people made through actions, after-commit work run for real.

Side effects (fan-out, notifications) run after commit. Inside a test transaction
nothing commits, so tests that need them wrap the change in `committed()` (Django's
captureOnCommitCallbacks with execute=True), which runs the callbacks — and the tasks
they enqueue, with the immediate backend of the test settings — the way a commit would.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from django.test import Client, TestCase

from voliere.accounts.actions import register_person
from voliere.accounts.models import User

_counter = itertools.count(1)
PASSWORD = "a long test passphrase 42"  # noqa: S105 — test fixture


def committed() -> AbstractContextManager:
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def run_on_commit() -> Callable[[], AbstractContextManager]:
    """`with run_on_commit(): action(...)` runs the action's after-commit work."""
    return committed


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(handle: str | None = None, **fields: str) -> User:
        handle = handle or f"user{next(_counter)}"
        return register_person(
            handle=handle,
            email=fields.pop("email", f"{handle.lower()}@example.org"),
            password=PASSWORD,
            display_name=fields.pop("display_name", handle.title()),
            enforce_signup_policy=False,
            **fields,
        )

    return make


@pytest.fixture
def login(client) -> Callable[[User], Client]:
    """Log `user` into the default test client and return it."""

    def do(user: User) -> Client:
        client.force_login(user)
        return client

    return do


@pytest.fixture
def alice(make_user) -> User:
    return make_user("alice")


@pytest.fixture
def bob(make_user) -> User:
    return make_user("bob")


@pytest.fixture
def carol(make_user) -> User:
    return make_user("carol")


@pytest.fixture(autouse=True)
def _fresh_data_dir(tmp_path_factory, settings) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    yield


@pytest.fixture(autouse=True)
def _ids_back_to_the_present() -> Iterator[None]:
    """A test that travels in time (time-machine) leaves the id generator's last
    millisecond in the future, and every later id of this process would then claim that
    future moment (a `since:tomorrow` search finds today's post). Bring it back."""
    yield
    from voliere.core import ids

    with ids._lock:
        ids._last_ms = min(ids._last_ms, time.time_ns() // 1_000_000)
