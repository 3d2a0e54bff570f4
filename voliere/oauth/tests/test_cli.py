"""`voliere token create`, run for real as a subprocess against the test database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.live_server import database_url
from voliere.accounts.actions import suspend_account
from voliere.oauth.models import AccessToken, Application

pytestmark = pytest.mark.django_db(transaction=True)


def voliere(*args: str, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k != "DJANGO_SETTINGS_MODULE" and not k.startswith("VOLIERE_")}
    env.update(VOLIERE_DATA=str(tmp_path), VOLIERE_SECRET_KEY=settings.SECRET_KEY,
               VOLIERE_DATABASE_URL=database_url(connection.settings_dict))
    return subprocess.run([sys.executable, "-m", "voliere", *args], env=env,
                          capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, check=False)


def test_token_create_prints_a_working_token(alice, tmp_path) -> None:
    result = voliere("token", "create", "--user", "alice", "--scopes", "read write follow",
                     tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert len(token) >= 40 and "\n" not in token
    assert "@alice" in result.stderr and "'read write follow'" in result.stderr
    row = AccessToken.objects.get()
    assert row.user == alice and row.scopes == "read write follow"
    assert row.application.owner == alice and row.application.name == "Command line"
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/preferences").status_code == 200
    # A second token reuses the application.
    again = voliere("token", "create", "--user", "alice@example.org", "--scopes", "read",
                    "--app", "Command line", tmp_path=tmp_path)
    assert again.returncode == 0, again.stderr
    assert Application.objects.count() == 1 and AccessToken.objects.count() == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--user", "nobody", "--scopes", "read"], "--user: no active member"),
    (["--user", "alice", "--scopes", "read bogus"], "--scopes: Unknown scope: bogus"),
    (["--user", "alice", "--scopes", "admin:read"], "--scopes: Only moderators"),
])
def test_token_create_bad_arguments(alice, tmp_path, args, message) -> None:
    result = voliere("token", "create", *args, tmp_path=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert not AccessToken.objects.exists()


def test_token_create_for_suspended_member_fails(alice, tmp_path) -> None:
    suspend_account(alice.account)
    result = voliere("token", "create", "--user", "alice", tmp_path=tmp_path)
    assert result.returncode == 2 and "no active member" in result.stderr
