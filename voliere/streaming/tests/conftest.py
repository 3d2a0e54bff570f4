"""Streaming test helpers: signed-in web sessions usable against the live server.

The live server and browser fixtures (and the hooks that put the SQLite test database in
a file another process can open) live in `tests/conftest.py`; they are imported here so
these tests also run alone (`pytest voliere/streaming`). The hooks are idempotent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from django.conf import settings

from conftest import PASSWORD
from tests.conftest import (  # noqa: F401 — fixtures and hooks, re-exported for pytest
    asgi_server,
    browser,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_unconfigure,
)
from voliere.accounts.models import User
from voliere.streaming.tests.clients import SSEClient

# The live server generates its own secret key in its data directory unless told one;


def sign_in(server_url: str, user: User) -> httpx.Client:
    """An httpx client signed in to the live server through its login form (the server
    has its own secret key, so a session made in this process would not be valid there)."""
    client = httpx.Client(base_url=server_url, timeout=10)
    client.get("/login/")
    response = client.post(
        "/login/",
        data={"identifier": user.email, "password": PASSWORD,
              "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        headers={"Referer": f"{server_url}/login/"},
    )
    assert response.status_code == 302, response.text[:500]
    return client


@pytest.fixture
def session_cookie(asgi_server) -> Callable[[User], str]:  # noqa: F811
    """A Cookie header value carrying a live-server session of `user`."""

    def make(user: User) -> str:
        client = sign_in(asgi_server.url, user)
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME]}"

    return make


@pytest.fixture
def open_stream() -> Iterator[Callable[..., SSEClient]]:
    """Open SSE streams that are all closed after the test."""
    opened: list[SSEClient] = []

    def open_(url: str, headers: dict[str, str] | None = None) -> SSEClient:
        client = SSEClient(url, headers)
        opened.append(client)
        return client

    yield open_
    for client in opened:
        client.close()


@pytest.fixture
def stream_token(db) -> Callable[..., str]:
    """An access token for `user` with `scopes`, made through the OAuth actions."""
    from voliere.oauth import actions

    def make(user: User, scopes: str = "read write follow") -> str:
        application = actions.register_application(
            name="Stream tests", redirect_uris="urn:ietf:wg:oauth:2.0:oob",
            scopes="read write follow push",
        )
        return actions.issue_token(
            application=application, user=user, scopes=scopes.split(), grant_type="personal"
        ).secret

    return make


@pytest.fixture
def bearer(stream_token) -> Callable[..., dict[str, str]]:
    def make(user: User, scopes: str = "read write follow") -> dict[str, str]:
        return {"Authorization": f"Bearer {stream_token(user, scopes)}"}

    return make
