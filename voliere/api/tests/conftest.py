"""Fixtures for the own API's tests.

The token fixtures are the Mastodon API's (`voliere/mastodon/tests/conftest.py`: tokens
issued through the OAuth actions, fresh rate limits), re-exported here; the live-server
hooks come with them.

- `call(user=None, scopes="read write follow", token=None)` → `Caller`: `.get(path, **query)`,
  `.post(path, body)`, `.put`, `.patch`, relative to `/api/voliere/v1`; anonymous when
  neither user nor token is given.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from voliere.mastodon.tests.conftest import (  # noqa: F401 — fixtures, re-exported
    _fresh_rate_limits,
    api_client,
    api_token,
    app_token,
    asgi_server,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_unconfigure,
)

BASE = "/api/voliere/v1"
SCOPES = "read write follow"


@dataclass
class Caller:
    client: Client

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(f"{BASE}{path}", query)

    def _send(self, method: str, path: str, body: Any) -> Any:
        send = getattr(self.client, method)
        data = "" if body is None else json.dumps(body)  # None: an empty body, as curl -X
        return send(f"{BASE}{path}", data, content_type="application/json")

    def post(self, path: str, body: Any = None) -> Any:
        return self._send("post", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self._send("put", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self._send("patch", path, body)


@pytest.fixture
def call(api_client) -> Callable[..., Caller]:  # noqa: F811 — the fixture
    def make(user=None, scopes: str = SCOPES, *, token: str | None = None,
             account=None) -> Caller:
        return Caller(api_client(user, scopes, token=token, account=account))

    return make


def error_of(response: Any) -> dict:
    """The error body, checked to have the API's one error shape."""
    body = response.json()
    assert set(body) == {"error", "detail"}, body
    assert isinstance(body["error"], str) and body["error"]
    return body


def fields_of(response: Any) -> set[str]:
    return {item["field"] for item in error_of(response)["detail"] or []}


def queries_for(caller: Caller, path: str, **query: Any) -> int:
    """How many SQL queries one successful GET costs (for "constant per page" checks),
    measured on a second call: the first may record the token's last use."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    caller.get(path, **query)
    with CaptureQueriesContext(connection) as captured:
        response = caller.get(path, **query)
    assert response.status_code == 200, response.content
    assert len(response.json()["items"]) == query.get("limit", len(response.json()["items"]))
    return len(captured)
