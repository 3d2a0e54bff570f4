"""`POST /oauth/token` and `/oauth/revoke`: every grant, and the ways each must fail."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from voliere.accounts.actions import create_organisation, suspend_account
from voliere.oauth import actions
from voliere.oauth.models import AccessToken
from voliere.oauth.tests.conftest import CHALLENGE, REDIRECT, VERIFIER

pytestmark = pytest.mark.django_db


def token_request(client: Client, **data: str):
    return client.post("/oauth/token", data)


def code_for(app, user, *, scopes=("read",), challenge="", method="", account=None,
             redirect=REDIRECT) -> str:
    return actions.create_authorization_code(
        application=app, user=user, account=account or user.account, redirect_uri=redirect,
        scopes=list(scopes), code_challenge=challenge, code_challenge_method=method,
    )


def creds(app) -> dict[str, str]:
    return {"client_id": app.client_id, "client_secret": app.client_secret}


def whoami(client: Client, token: str):
    return client.get("/api/v1/apps/verify_credentials", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_authorization_code_grant_issues_a_token(client, oauth_app, alice) -> None:
    code = code_for(oauth_app, alice, scopes=("read", "write"))
    response = token_request(client, grant_type="authorization_code", code=code,
                             redirect_uri=REDIRECT, **creds(oauth_app))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "scope", "created_at"}
    assert body["token_type"] == "Bearer" and body["scope"] == "read write"
    assert isinstance(body["created_at"], int)
    assert response["Cache-Control"] == "no-store"
    token = AccessToken.objects.get()
    assert token.user == alice and token.account == alice.account
    assert body["access_token"] not in token.token_hash  # only the digest is stored
    assert whoami(client, body["access_token"]).json()["name"] == "Tusky"


def test_code_is_single_use_and_replay_revokes_the_token(client, oauth_app, alice) -> None:
    code = code_for(oauth_app, alice)
    first = token_request(client, grant_type="authorization_code", code=code,
                          redirect_uri=REDIRECT, **creds(oauth_app))
    assert first.status_code == 200
    again = token_request(client, grant_type="authorization_code", code=code,
                          redirect_uri=REDIRECT, **creds(oauth_app))
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert whoami(client, first.json()["access_token"]).status_code == 401


def test_code_expires_after_ten_minutes(client, oauth_app, alice) -> None:
    code = code_for(oauth_app, alice)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = token_request(client, grant_type="authorization_code", code=code,
                                 redirect_uri=REDIRECT, **creds(oauth_app))
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_code_with_wrong_redirect_uri_or_client_is_refused(client, oauth_app, alice) -> None:
    other = actions.register_application(name="Other", redirect_uris=REDIRECT)
    code = code_for(oauth_app, alice)
    wrong_uri = token_request(client, grant_type="authorization_code", code=code,
                              redirect_uri="https://evil.example/cb", **creds(oauth_app))
    assert wrong_uri.json()["error"] == "invalid_grant"
    other_client = token_request(client, grant_type="authorization_code", code=code,
                                 redirect_uri=REDIRECT, **creds(other))
    assert other_client.json()["error"] == "invalid_grant"
    # Neither attempt used the code up.
    ok = token_request(client, grant_type="authorization_code", code=code,
                       redirect_uri=REDIRECT, **creds(oauth_app))
    assert ok.status_code == 200


def test_pkce_s256_and_plain(client, oauth_app, alice) -> None:
    code = code_for(oauth_app, alice, challenge=CHALLENGE, method="S256")
    # A public client: no secret, the verifier proves it.
    response = token_request(client, grant_type="authorization_code", code=code,
                             redirect_uri=REDIRECT, client_id=oauth_app.client_id,
                             code_verifier=VERIFIER)
    assert response.status_code == 200, response.json()
    plain = code_for(oauth_app, alice, challenge=VERIFIER, method="plain")
    response = token_request(client, grant_type="authorization_code", code=plain,
                             redirect_uri=REDIRECT, code_verifier=VERIFIER, **creds(oauth_app))
    assert response.status_code == 200


@pytest.mark.parametrize("verifier", ["", "x" * 43, VERIFIER[:-1] + "Y", CHALLENGE])
def test_pkce_failure(client, oauth_app, alice, verifier) -> None:
    code = code_for(oauth_app, alice, challenge=CHALLENGE, method="S256")
    response = token_request(client, grant_type="authorization_code", code=code,
                             redirect_uri=REDIRECT, code_verifier=verifier, **creds(oauth_app))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_code_of_a_since_suspended_user_gives_nothing(client, oauth_app, alice) -> None:
    code = code_for(oauth_app, alice)
    suspend_account(alice.account)
    response = token_request(client, grant_type="authorization_code", code=code,
                             redirect_uri=REDIRECT, **creds(oauth_app))
    assert response.json()["error"] == "invalid_grant"


def test_code_acting_as_an_organisation(client, oauth_app, alice) -> None:
    org = create_organisation(handle="acme", display_name="Acme", managers=[alice])
    code = code_for(oauth_app, alice, account=org)
    response = token_request(client, grant_type="authorization_code", code=code,
                             redirect_uri=REDIRECT, **creds(oauth_app))
    assert AccessToken.objects.get().account == org
    assert response.status_code == 200


def test_password_grant(client, oauth_app, alice) -> None:
    for username in ("alice@example.org", "alice", "@ALICE"):
        response = token_request(client, grant_type="password", username=username,
                                 password=PASSWORD, scope="read write", **creds(oauth_app))
        assert response.status_code == 200, username
        assert response.json()["scope"] == "read write"
    default_scope = token_request(client, grant_type="password", username="alice",
                                  password=PASSWORD, **creds(oauth_app))
    assert default_scope.json()["scope"] == "read"


def test_password_grant_wrong_password_and_throttle(client, oauth_app, alice, settings) -> None:
    settings.LOGIN_ATTEMPTS = 2
    for _ in range(2):
        response = token_request(client, grant_type="password", username="alice",
                                 password="wrong", **creds(oauth_app))
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_grant"
    locked = token_request(client, grant_type="password", username="alice",
                           password=PASSWORD, **creds(oauth_app))
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.json()["error_description"]
    assert not AccessToken.objects.exists()


def test_password_grant_refuses_suspended_users(client, oauth_app, alice) -> None:
    suspend_account(alice.account)
    response = token_request(client, grant_type="password", username="alice",
                             password=PASSWORD, **creds(oauth_app))
    assert response.json()["error"] == "invalid_grant"


def test_password_grant_switched_off(client, oauth_app, alice, settings) -> None:
    settings.OAUTH_PASSWORD_GRANT = False
    response = token_request(client, grant_type="password", username="alice",
                             password=PASSWORD, **creds(oauth_app))
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "unsupported_grant_type"
    assert "switched off" in body["error_description"]


def test_client_credentials_grant_gives_app_only_token(client, oauth_app) -> None:
    response = client.post("/oauth/token", {"grant_type": "client_credentials",
                                            "scope": "read write", **creds(oauth_app)},
                           content_type="application/json")
    assert response.status_code == 200
    token = response.json()["access_token"]
    assert whoami(client, token).status_code == 200
    assert AccessToken.objects.get().user is None
    preferences = client.get("/api/v1/preferences", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert preferences.status_code == 422


@pytest.mark.parametrize("scope", ["read write follow push admin:read", "everything", "follow "
                                   "read:statuses write:reports profile"])
def test_scope_escalation_is_refused(client, alice, scope) -> None:
    app = actions.register_application(name="Narrow", redirect_uris=REDIRECT,
                                       scopes="read write:statuses")
    for grant in ({"grant_type": "client_credentials"},
                  {"grant_type": "password", "username": "alice", "password": PASSWORD}):
        response = token_request(client, scope=scope, **grant, **creds(app))
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_scope"
    assert not AccessToken.objects.exists()


def test_granular_scopes_within_broader_app_scopes(client, oauth_app, alice) -> None:
    response = token_request(client, grant_type="password", username="alice", password=PASSWORD,
                             scope="read:statuses write:media", **creds(oauth_app))
    assert response.json()["scope"] == "read:statuses write:media"


def test_admin_scopes_need_a_moderator(client, alice) -> None:
    app = actions.register_application(name="Admin tool", redirect_uris=REDIRECT,
                                       scopes="read admin:read")
    response = token_request(client, grant_type="password", username="alice", password=PASSWORD,
                             scope="admin:read", **creds(app))
    assert response.json()["error"] == "invalid_scope"


def test_client_authentication(client, oauth_app, alice) -> None:
    bad = token_request(client, grant_type="client_credentials", client_id=oauth_app.client_id,
                        client_secret="wrong")
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    unknown = token_request(client, grant_type="client_credentials", client_id="nope",
                            client_secret="x")
    assert unknown.status_code == 401
    basic = base64.b64encode(f"{oauth_app.client_id}:{oauth_app.client_secret}".encode())
    response = client.post("/oauth/token", {"grant_type": "client_credentials"},
                           HTTP_AUTHORIZATION=f"Basic {basic.decode()}")
    assert response.status_code == 200
    garbled = client.post("/oauth/token", {"grant_type": "client_credentials"},
                          HTTP_AUTHORIZATION="Basic %%%")
    assert garbled.status_code == 401


@pytest.mark.parametrize(("data", "error"), [
    ({"grant_type": "implicit"}, "unsupported_grant_type"),
    ({}, "unsupported_grant_type"),
    ({"grant_type": "password"}, "invalid_request"),
    ({"grant_type": "authorization_code"}, "invalid_grant"),
])
def test_malformed_token_requests(client, oauth_app, data, error) -> None:
    response = token_request(client, **data, **creds(oauth_app))
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert response.json()["error_description"]


def test_malformed_json_body_is_400(client) -> None:
    response = client.post("/oauth/token", "{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_get_on_token_endpoint_is_405(client) -> None:
    assert client.get("/oauth/token").status_code == 405


def test_revoke(client, oauth_app, alice) -> None:
    issued = actions.password_grant(application=oauth_app, user=alice, scope="read")
    other_app = actions.register_application(name="Other", redirect_uris=REDIRECT)
    refused = client.post("/oauth/revoke", {"token": issued.secret, **creds(other_app)})
    assert refused.status_code == 403
    assert whoami(client, issued.secret).status_code == 200
    response = client.post("/oauth/revoke/", {"token": issued.secret, **creds(oauth_app)})
    assert response.status_code == 200 and response.json() == {}
    assert whoami(client, issued.secret).status_code == 401
    unknown = client.post("/oauth/revoke", {"token": "whatever", **creds(oauth_app)})
    assert unknown.status_code == 200
    no_client = client.post("/oauth/revoke", {"token": issued.secret})
    assert no_client.status_code == 401
