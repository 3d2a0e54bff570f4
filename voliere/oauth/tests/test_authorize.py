"""`/oauth/authorize`: the consent page, its decisions, and the requests it must refuse."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client

from voliere.accounts.actions import create_organisation
from voliere.oauth.models import AccessToken, AuthorizationCode
from voliere.oauth.tests.conftest import CHALLENGE, REDIRECT, VERIFIER

pytestmark = pytest.mark.django_db


def authorize_url(app, **overrides: str) -> str:
    params = {"response_type": "code", "client_id": app.client_id, "redirect_uri": REDIRECT,
              "scope": "read write", "state": "xyz", **overrides}
    return "/oauth/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


def consent_fields(app, **overrides: str) -> dict[str, str]:
    url = authorize_url(app, **overrides)
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def test_signed_out_visitor_is_sent_to_login_first(client: Client, oauth_app) -> None:
    url = authorize_url(oauth_app)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert "client_id" in response["Location"]


def test_consent_page_shows_app_scopes_and_account(client, oauth_app, alice, login) -> None:
    org = create_organisation(handle="acme", display_name="Acme Corp", managers=[alice])
    login(alice)
    response = client.get(authorize_url(oauth_app, scope="read write:media follow"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Authorize Tusky?" in html
    assert "Change your media" in html and "See and change whom you follow" in html
    assert "Read everything your account can see" in html
    assert "@alice" in html and "@acme" in html and str(org.pk) in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_authorize_redirects_with_code_and_state(client, oauth_app, alice, login) -> None:
    login(alice)
    response = client.post("/oauth/authorize", {**consent_fields(oauth_app),
                                                "decision": "authorize",
                                                "account_id": alice.account_id})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(REDIRECT + "?")
    params = query_of(location)
    assert params["state"] == "xyz"
    grant = AuthorizationCode.objects.get()
    assert grant.scopes == "read write" and grant.account == alice.account
    token = client.post("/oauth/token", {
        "grant_type": "authorization_code", "code": params["code"], "redirect_uri": REDIRECT,
        "client_id": oauth_app.client_id, "client_secret": oauth_app.client_secret,
    })
    assert token.status_code == 200


def test_deny_redirects_with_access_denied(client, oauth_app, alice, login) -> None:
    login(alice)
    response = client.post("/oauth/authorize", {**consent_fields(oauth_app), "decision": "deny",
                                                "account_id": alice.account_id})
    params = query_of(response["Location"])
    assert params["error"] == "access_denied" and params["state"] == "xyz"
    assert not AuthorizationCode.objects.exists()


def test_consent_form_requires_csrf(oauth_app, alice) -> None:
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(alice)
    response = csrf_client.post("/oauth/authorize", {**consent_fields(oauth_app),
                                                     "decision": "authorize",
                                                     "account_id": alice.account_id})
    assert response.status_code == 403
    assert not AuthorizationCode.objects.exists()


def test_acting_as_a_managed_organisation(client, oauth_app, alice, bob, login) -> None:
    org = create_organisation(handle="acme", display_name="Acme", managers=[alice])
    other = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    login(alice)
    refused = client.post("/oauth/authorize", {**consent_fields(oauth_app),
                                               "decision": "authorize", "account_id": other.pk})
    assert refused.status_code == 400
    response = client.post("/oauth/authorize", {**consent_fields(oauth_app),
                                                "decision": "authorize", "account_id": org.pk})
    assert response.status_code == 302
    assert AuthorizationCode.objects.get().account == org


def test_out_of_band_shows_the_code(client, oauth_app, alice, login) -> None:
    login(alice)
    fields = consent_fields(oauth_app, redirect_uri="urn:ietf:wg:oauth:2.0:oob", state=None)
    response = client.post("/oauth/authorize/", {**fields, "decision": "authorize",
                                                 "account_id": alice.account_id})
    assert response.status_code == 200
    assert "Authorization code" in response.content.decode()
    assert AuthorizationCode.objects.count() == 1


@pytest.mark.parametrize("redirect", ["https://evil.example/cb", REDIRECT + "/x",
                                      "https://client.example/callback?x=1"])
def test_unregistered_redirect_uri_is_never_followed(client, oauth_app, alice, login,
                                                     redirect) -> None:
    login(alice)
    response = client.get(authorize_url(oauth_app, redirect_uri=redirect))
    assert response.status_code == 400
    assert "redirect URI is not one this application registered" in response.content.decode()
    response = client.post("/oauth/authorize", {**consent_fields(oauth_app, redirect_uri=redirect),
                                                "decision": "authorize",
                                                "account_id": alice.account_id})
    assert response.status_code == 400
    assert not AuthorizationCode.objects.exists()


def test_unknown_client_is_an_error_page(client, alice, login) -> None:
    login(alice)
    response = client.get("/oauth/authorize?client_id=nope&response_type=code")
    assert response.status_code == 400
    assert "unknown client_id" in response.content.decode()


def test_scope_beyond_the_app_goes_back_with_invalid_scope(client, oauth_app, alice,
                                                           login) -> None:
    login(alice)
    for scope in ("admin:read", "read bogus"):
        response = client.get(authorize_url(oauth_app, scope=scope))
        assert response.status_code == 302
        assert query_of(response["Location"])["error"] == "invalid_scope"
    response = client.get(authorize_url(oauth_app, response_type="token"))
    assert query_of(response["Location"])["error"] == "unsupported_response_type"


def test_pkce_through_the_consent_page(client, oauth_app, alice, login) -> None:
    login(alice)
    fields = consent_fields(oauth_app, code_challenge=CHALLENGE, code_challenge_method="S256")
    response = client.post("/oauth/authorize", {**fields, "decision": "authorize",
                                                "account_id": alice.account_id})
    code = query_of(response["Location"])["code"]
    base = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "client_id": oauth_app.client_id}
    wrong = client.post("/oauth/token", {**base, "code_verifier": "a" * 50})
    assert wrong.json()["error"] == "invalid_grant"
    right = client.post("/oauth/token", {**base, "code_verifier": VERIFIER})
    assert right.status_code == 200
    assert AccessToken.objects.filter(user=alice).count() == 1


def test_bad_pkce_request_goes_back_to_the_app(client, oauth_app, alice, login) -> None:
    login(alice)
    response = client.get(authorize_url(oauth_app, code_challenge="short",
                                        code_challenge_method="S256"))
    assert query_of(response["Location"])["error"] == "invalid_request"
    response = client.get(authorize_url(oauth_app, code_challenge=CHALLENGE,
                                        code_challenge_method="MD5"))
    assert query_of(response["Location"])["error"] == "invalid_request"


def test_custom_scheme_redirect_for_mobile_apps(client, alice, login) -> None:
    from voliere.oauth import actions

    app = actions.register_application(name="Phone", redirect_uris="myapp://oauth", scopes="read")
    login(alice)
    response = client.post("/oauth/authorize", {
        "response_type": "code", "client_id": app.client_id, "redirect_uri": "myapp://oauth",
        "scope": "read", "decision": "authorize", "account_id": alice.account_id,
    })
    assert response.status_code == 302
    assert response["Location"].startswith("myapp://oauth?code=")


def test_metadata_document(client) -> None:
    response = client.get("/.well-known/oauth-authorization-server")
    body = response.json()
    assert body["issuer"] == "http://testserver/"
    assert body["authorization_endpoint"] == "http://testserver/oauth/authorize"
    assert body["token_endpoint"] == "http://testserver/oauth/token"
    assert body["revocation_endpoint"] == "http://testserver/oauth/revoke"
    assert body["app_registration_endpoint"] == "http://testserver/api/v1/apps"
    assert "S256" in body["code_challenge_methods_supported"]
    assert {"read", "write:media", "follow", "push"} <= set(body["scopes_supported"])
    assert set(body["grant_types_supported"]) == {
        "authorization_code", "password", "client_credentials"}
