"""The per-process grant cache behind bearer tokens (`voliere.oauth.tokens.GRANTS`): a
cached grant is used only while the token's row is unchanged, so revocation, suspension,
deactivation and a password change stop a token at the very next call."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from voliere.accounts.actions import (
    change_password,
    create_organisation,
    set_user_active,
    suspend_account,
)
from voliere.accounts.models import OrganisationRole
from voliere.oauth import actions
from voliere.oauth.models import AccessToken
from voliere.oauth.tokens import GRANTS, authenticate, digest

pytestmark = pytest.mark.django_db
ME = "/api/v1/accounts/verify_credentials"


@pytest.fixture(autouse=True)
def _empty_cache():
    GRANTS.clear()
    yield
    GRANTS.clear()


def warm(client) -> None:
    """Two calls: the first records the token's first use (its row changes), the second
    validates the new row and caches the grant."""
    for _ in range(2):
        assert client.get(ME).status_code == 200


def test_a_cached_grant_costs_one_query(api_token, alice):
    secret = api_token(alice, "read")
    authenticate(secret)
    with CaptureQueriesContext(connection) as calls:
        grant = authenticate(secret)
    assert grant is not None and grant.account.id == alice.account.id
    assert len(calls) == 1


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda user: actions.revoke_token(
            AccessToken.objects.get(user=user)), id="revoked"),
        pytest.param(lambda user: change_password(user, "a whole new passphrase 42"),
                     id="password changed"),
        pytest.param(lambda user: suspend_account(user.account), id="account suspended"),
        pytest.param(lambda user: set_user_active(user, False), id="user deactivated"),
    ],
)
def test_changes_stop_a_cached_token_at_the_next_call(api_client, alice, change):
    client = api_client(alice, "read")
    warm(client)
    change(type(alice).objects.get(pk=alice.pk))
    response = client.get(ME)
    assert response.status_code == 401, response.content
    assert response.json() == {"error": "The access token is invalid"}


def test_profile_changes_show_at_once(api_client, alice):
    client = api_client(alice, "read")
    warm(client)
    type(alice.account).objects.filter(pk=alice.account.pk).update(display_name="Alicia")
    assert client.get(ME).json()["display_name"] == "Alicia"


def test_each_call_gets_its_own_instances(api_token, alice):
    secret = api_token(alice, "read")
    authenticate(secret)
    first = authenticate(secret)
    first.account.display_name = "changed in memory by one call"
    first.user.email = "nobody@example.org"
    second = authenticate(secret)
    assert second.account is not first.account and second.user is not first.user
    assert second.account.display_name == alice.account.display_name
    assert second.user.email == alice.email
    assert second.token.user is second.user and second.user.account is second.account


def test_organisation_tokens_recheck_the_manager_role(api_client, alice):
    org = create_organisation(handle="acme", display_name="Acme", managers=[alice])
    client = api_client(alice, "read", account=org)
    warm(client)
    assert client.get(ME).json()["id"] == str(org.id)
    OrganisationRole.objects.filter(user=alice, organisation=org).delete()
    assert client.get(ME).status_code == 401


def test_unknown_and_cached_tokens_do_not_mix(api_token, alice, bob):
    alices, bobs = api_token(alice, "read"), api_token(bob, "read")
    for _ in range(2):
        assert authenticate(alices).account.id == alice.account.id
        assert authenticate(bobs).account.id == bob.account.id
    assert authenticate(alices + "x") is None
    assert GRANTS.row(digest("not a token")) is None


def test_recording_the_last_use_keeps_the_grant_cached(api_token, alice):
    secret = api_token(alice, "read")
    authenticate(secret)
    AccessToken.objects.update(last_used_at=timezone.now())
    with CaptureQueriesContext(connection) as calls:
        grant = authenticate(secret)
    assert len(calls) == 1
    assert grant.token.last_used_at == AccessToken.objects.get().last_used_at
