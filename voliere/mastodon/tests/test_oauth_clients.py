"""Real clients over real HTTP on loopback: Mastodon.py and the toot CLI against the live
ASGI server, logging in every way they know (password grant, the code flow through the
login and consent forms, client credentials), then calling the API with what they got."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from conftest import PASSWORD
from voliere.oauth.models import AccessToken, Application

pytestmark = pytest.mark.django_db(transaction=True)

REDIRECT = "http://127.0.0.1:9/callback"  # never fetched: the test reads the Location header
SCOPES = ["read", "write", "follow"]


def hidden_fields(page: str) -> dict[str, str]:
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    return {name: html.unescape(value) for name, value in fields}


def sign_in(base_url: str, identifier: str) -> httpx.Client:
    """A browser-like client signed in through the login form, keeping its cookies."""
    client = httpx.Client(base_url=base_url, timeout=20)
    client.get("/login/")
    response = client.post(
        "/login/",
        data={"identifier": identifier, "password": PASSWORD,
              "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        headers={"Referer": f"{base_url}/login/"},
    )
    assert response.status_code == 302, response.text[:300]
    return client


def test_mastodon_py_app_and_password_login(mastodon_live, alice) -> None:
    from mastodon import Mastodon

    client_id, client_secret = Mastodon.create_app(
        "Volière test", scopes=SCOPES, api_base_url=mastodon_live.url
    )
    assert Application.objects.get(client_id=client_id).scopes == "read write follow"
    api = mastodon_live.mastodon(client_id=client_id, client_secret=client_secret,
                                 version_check_mode="created")
    assert (api.mastodon_major, api.mastodon_minor) == (4, 3)
    token = api.log_in("alice@example.org", PASSWORD, scopes=SCOPES, allow_http=True)
    assert AccessToken.objects.get().user == alice
    user_api = mastodon_live.mastodon(token, client_id=client_id, client_secret=client_secret)
    assert user_api.app_verify_credentials()["name"] == "Volière test"
    assert user_api.account_verify_credentials()["username"] == "alice"
    user_api.revoke_access_token(allow_http=True)
    assert AccessToken.objects.get().revoked_at is not None


def test_mastodon_py_code_flow_through_the_consent_form(mastodon_live, alice) -> None:
    from mastodon import Mastodon

    client_id, client_secret = Mastodon.create_app(
        "Code flow app", scopes=SCOPES, redirect_uris=REDIRECT, api_base_url=mastodon_live.url
    )
    api = mastodon_live.mastodon(client_id=client_id, client_secret=client_secret)
    url = api.auth_request_url(redirect_uris=REDIRECT, scopes=SCOPES, state="s-42",
                               allow_http=True)
    browser = sign_in(mastodon_live.url, "alice")
    consent = browser.get(url)
    assert consent.status_code == 200
    assert "Authorize Code flow app?" in consent.text
    fields = hidden_fields(consent.text)
    assert fields["client_id"] == client_id and fields["redirect_uri"] == REDIRECT
    decision = browser.post(
        "/oauth/authorize",
        data={**fields, "decision": "authorize", "account_id": str(alice.account_id)},
        headers={"Referer": str(consent.url)},
    )
    assert decision.status_code == 302, decision.text[:300]
    location = decision.headers["Location"]
    assert location.startswith(REDIRECT)
    params = parse_qs(urlsplit(location).query)
    assert params["state"] == ["s-42"]
    token = api.log_in(code=params["code"][0], redirect_uri=REDIRECT, scopes=SCOPES,
                       allow_http=True)
    assert mastodon_live.mastodon(token).account_verify_credentials()["username"] == "alice"
    # The same code again: refused, and the token it gave is revoked.
    with pytest.raises(Exception, match="invalid_grant|Invalid"):
        api.log_in(code=params["code"][0], redirect_uri=REDIRECT, scopes=SCOPES,
                   allow_http=True)
    assert httpx.get(f"{mastodon_live.url}/api/v1/apps/verify_credentials",
                     headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_consent_form_refuses_a_post_without_csrf(mastodon_live, alice) -> None:
    from mastodon import Mastodon

    client_id, _secret = Mastodon.create_app("No CSRF", scopes=["read"],
                                             redirect_uris=REDIRECT,
                                             api_base_url=mastodon_live.url)
    browser = sign_in(mastodon_live.url, "alice")
    response = browser.post("/oauth/authorize", data={
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT,
        "scope": "read", "decision": "authorize", "account_id": str(alice.account_id),
    })
    assert response.status_code == 403
    assert not AccessToken.objects.exists()


def test_toot_login_cli(mastodon_live, alice, tmp_path) -> None:
    result = mastodon_live.toot(
        ["login_cli", "--instance", mastodon_live.url, "--email", "alice@example.org",
         "--password", PASSWORD], tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Successfully logged in" in result.stdout
    config = json.loads((tmp_path / "toot" / "config.json").read_text())
    host = urlsplit(mastodon_live.url).netloc
    assert config["active_user"] == f"alice@{host}"
    assert config["apps"][host]["base_url"] == mastodon_live.url
    token = config["users"][f"alice@{host}"]["access_token"]
    row = AccessToken.objects.get(user=alice)
    assert row.grant_type == "password" and row.scopes == "read write follow"
    assert row.application.name.startswith("toot")
    whoami = httpx.get(f"{mastodon_live.url}/api/v1/accounts/verify_credentials",
                       headers={"Authorization": f"Bearer {token}"})
    assert whoami.json()["username"] == "alice"
    # A wrong password fails cleanly and stores nothing.
    other = tmp_path / "other"
    failed = mastodon_live.toot(
        ["login_cli", "--instance", mastodon_live.url, "--email", "alice@example.org",
         "--password", "wrong"], other,
    )
    assert failed.returncode != 0
    assert "Login failed" in failed.stdout + failed.stderr
    assert AccessToken.objects.filter(user=alice).count() == 1


def test_client_credentials_with_a_json_body(mastodon_live, alice) -> None:
    """toot asks for an application token with a JSON body; user endpoints then say 422."""
    from mastodon import Mastodon

    client_id, client_secret = Mastodon.create_app("App only", scopes=["read", "write"],
                                                   api_base_url=mastodon_live.url)
    response = httpx.post(f"{mastodon_live.url}/oauth/token", json={
        "client_id": client_id, "client_secret": client_secret,
        "grant_type": "client_credentials", "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
        "scope": "read write",
    })
    assert response.status_code == 200
    token = response.json()["access_token"]
    api = mastodon_live.mastodon(token)
    assert api.app_verify_credentials()["name"] == "App only"
    status = httpx.get(f"{mastodon_live.url}/api/v1/accounts/verify_credentials",
                       headers={"Authorization": f"Bearer {token}"})
    assert status.status_code == 422
