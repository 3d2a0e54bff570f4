"""Fixtures shared by the Mastodon API tests (every area uses them; keep them stable).

- `api_token(user, scopes="read write follow push", account=None)` → the token string for
  `user` (acting as `account`, default their own), issued through the OAuth actions.
- `app_token(scopes="read")` → an application-only (client_credentials) token string.
- `api_client(user=None, scopes=..., token=None)` → a Django test `Client` sending
  `Authorization: Bearer <token>` (anonymous when neither user nor token is given).
The live server fixtures and the hooks that put the SQLite test database in a file come from
`tests/conftest.py`, imported here so these tests also run alone (`pytest voliere/mastodon`).

- `mastodon_live` (session-scoped) → `LiveApi` over the `asgi_server` fixture: `.url`,
  `.mastodon(token)` (a Mastodon.py client), `.toot(args, config_dir)` (the toot CLI as a
  subprocess with its own config directory). Tests using it need
  `@pytest.mark.django_db(transaction=True)` so the server sees their rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.conftest import (  # noqa: F401 — fixtures and hooks, re-exported for pytest
    asgi_server,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_unconfigure,
)
from voliere.accounts.models import Account, User
from voliere.oauth import actions, ratelimit
from voliere.oauth.models import Application

DEFAULT_SCOPES = "read write follow push"
TOOT = Path(sys.executable).with_name("toot")


def _test_application(name: str = "Test client", scopes: str = DEFAULT_SCOPES) -> Application:
    existing = Application.objects.filter(name=name, scopes=scopes, owner=None).first()
    return existing or actions.register_application(
        name=name, redirect_uris="urn:ietf:wg:oauth:2.0:oob", scopes=scopes
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    ratelimit.reset_all()
    yield
    ratelimit.reset_all()


@pytest.fixture
def api_token(db) -> Callable[..., str]:
    def make(user: User, scopes: str = DEFAULT_SCOPES, *, account: Account | None = None) -> str:
        application = _test_application(scopes="read write follow push admin:read admin:write")
        issued = actions.issue_token(
            application=application,
            user=user,
            scopes=scopes.split(),
            grant_type="personal",
            account=account,
        )
        return issued.secret

    return make


@pytest.fixture
def app_token(db) -> Callable[..., str]:
    def make(scopes: str = "read") -> str:
        application = _test_application(scopes="read write follow push")
        issued = actions.issue_token(
            application=application, user=None, scopes=scopes.split(),
            grant_type="client_credentials",
        )
        return issued.secret

    return make


@pytest.fixture
def api_client(api_token) -> Callable[..., Client]:
    def make(user: User | None = None, scopes: str = DEFAULT_SCOPES, *,
             token: str | None = None, account: Account | None = None) -> Client:
        if token is None and user is not None:
            token = api_token(user, scopes, account=account)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return Client(headers=headers)

    return make


@dataclass
class LiveApi:
    """Real clients against the live server."""

    url: str

    def mastodon(self, token: str | None = None, **options: Any) -> Any:
        from mastodon import Mastodon

        options.setdefault("version_check_mode", "none")
        return Mastodon(access_token=token, api_base_url=self.url, request_timeout=20,
                        **options)

    def toot(self, args: list[str], config_dir: Path, *, input_text: str | None = None,
             timeout: float = 60) -> subprocess.CompletedProcess:
        """Run `toot ARGS` with XDG_CONFIG_HOME=config_dir (its own login and apps)."""
        env = {**os.environ, "XDG_CONFIG_HOME": str(config_dir), "NO_COLOR": "1",
               "TOOT_QUIET": "1", "HOME": str(config_dir)}
        return subprocess.run(
            [str(TOOT), *args], env=env, input=input_text, capture_output=True, text=True,
            timeout=timeout, check=False,
        )


@pytest.fixture(scope="session")
def mastodon_live(asgi_server) -> LiveApi:  # noqa: F811
    return LiveApi(url=asgi_server.url)
