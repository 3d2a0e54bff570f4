"""Instance, nodeinfo, custom emojis, preferences and application registration."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from voliere.accounts.actions import create_organisation, suspend_account
from voliere.mastodon.instance import STATS_CACHE_KEY
from voliere.oauth.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_stats() -> None:
    cache.delete(STATS_CACHE_KEY)


def test_instance_v1(client: Client, alice, settings) -> None:
    settings.POST_MAX_CHARS = 777
    create_organisation(handle="acme", display_name="Acme", managers=[alice])
    response = client.get("/api/v1/instance")
    assert response.status_code == 200
    body = response.json()
    assert body["uri"] == "testserver"
    assert re.fullmatch(r"4\.3\.0 \(compatible; Volière [\d.]+\)", body["version"])
    assert body["configuration"]["statuses"]["max_characters"] == 777
    assert body["languages"] == ["fr", "en"]
    assert body["stats"]["user_count"] == 1
    assert body["registrations"] is True and body["approval_required"] is False
    assert body["contact_account"]["username"] == "acme"
    assert body["urls"]["streaming_api"] == "ws://testserver"
    assert response["X-RateLimit-Limit"]


def test_instance_v2(client: Client, alice, bob, settings) -> None:
    settings.SIGNUP_MODE = "invite"
    suspend_account(bob.account)
    body = client.get("/api/v2/instance/").json()
    assert body["domain"] == "testserver"
    assert body["version"].startswith("4.3.0 (compatible; Volière")
    configuration = body["configuration"]
    assert configuration["statuses"]["max_characters"] == settings.POST_MAX_CHARS
    assert configuration["media_attachments"]["image_size_limit"] == \
        settings.MEDIA_IMAGE_MAX_BYTES
    assert configuration["polls"]["max_options"] >= 2
    assert configuration["urls"]["streaming"] == "ws://testserver"
    assert body["registrations"]["enabled"] is False
    assert "invitation" in body["registrations"]["message"]
    assert body["usage"]["users"]["active_month"] >= 1
    assert body["languages"] == ["fr", "en"]
    assert body["api_versions"] == {"mastodon": 2}
    assert body["thumbnail"]["url"].endswith(".svg")
    assert client.get(body["thumbnail"]["url"].replace("http://testserver", "")).status_code == 200


def test_instance_v1_counts_only_active_members(client: Client, alice, bob) -> None:
    suspend_account(bob.account)
    assert client.get("/api/v1/instance").json()["stats"]["user_count"] == 1


def test_instance_counts_are_cached(client: Client, alice, make_user,
                                    django_assert_max_num_queries) -> None:
    assert client.get("/api/v1/instance").json()["stats"]["user_count"] == 1
    make_user("dave")
    # Only the contact: organisation, else first admin account (none here), admin e-mail.
    with django_assert_max_num_queries(3):
        body = client.get("/api/v2/instance").json()
    assert body["usage"]["users"]["active_month"] == 1  # counted before dave, kept 5 minutes
    cache.delete(STATS_CACHE_KEY)
    assert client.get("/api/v1/instance").json()["stats"]["user_count"] == 2


def test_instance_with_an_invalid_token_is_401(client: Client) -> None:
    response = client.get("/api/v1/instance", HTTP_AUTHORIZATION="Bearer stale")
    assert response.status_code == 401


def test_custom_emojis_is_an_empty_list(client: Client) -> None:
    response = client.get("/api/v1/custom_emojis")
    assert response.status_code == 200 and response.json() == []


def test_nodeinfo(client: Client, alice) -> None:
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links == [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                      "href": "http://testserver/nodeinfo/2.0"}]
    response = client.get("/nodeinfo/2.0")
    body = response.json()
    assert body["version"] == "2.0" and body["software"]["name"] == "voliere"
    assert body["usage"]["users"]["total"] == 1
    assert body["openRegistrations"] is True
    assert "nodeinfo.diaspora.software" in response["Content-Type"]


def test_preferences(api_client, alice) -> None:
    response = api_client(alice, "read:accounts").get("/api/v1/preferences")
    assert response.status_code == 200
    assert response.json()["posting:default:visibility"] == "public"
    assert api_client(alice, "write").get("/api/v1/preferences").status_code == 403
    assert api_client().get("/api/v1/preferences").status_code == 401


def test_register_app_with_form_body(client: Client) -> None:
    response = client.post("/api/v1/apps", {
        "client_name": "Tusky", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
        "scopes": "read write follow push", "website": "https://tusky.app",
    })
    assert response.status_code == 200
    body = response.json()
    app = Application.objects.get()
    assert body["id"] == str(app.pk) and body["name"] == "Tusky"
    assert body["client_id"] == app.client_id and body["client_secret"] == app.client_secret
    assert body["scopes"] == ["read", "write", "follow", "push"]
    assert body["redirect_uris"] == ["urn:ietf:wg:oauth:2.0:oob"]
    assert body["website"] == "https://tusky.app"
    assert app.owner is None


def test_register_app_with_json_and_several_uris(client: Client) -> None:
    response = client.post("/api/v1/apps/", {
        "client_name": "Phone", "redirect_uris": ["myapp://cb", "https://x.example/cb"],
    }, content_type="application/json")
    body = response.json()
    assert body["redirect_uris"] == ["myapp://cb", "https://x.example/cb"]
    assert body["redirect_uri"] == "myapp://cb\nhttps://x.example/cb"
    assert body["scopes"] == ["read"]


@pytest.mark.parametrize(("data", "message"), [
    ({"redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}, "The application needs a name."),
    ({"client_name": "X"}, "Give at least one redirect URI."),
    ({"client_name": "X", "redirect_uris": "/relative"}, "is not an absolute URI"),
    ({"client_name": "X", "redirect_uris": "javascript:alert(1)"}, "cannot be a redirect URI"),
    ({"client_name": "X", "redirect_uris": "https://a.example/#frag"}, "without a fragment"),
    ({"client_name": "X", "redirect_uris": "https://a.example", "scopes": "read root"},
     "Unknown scope: root"),
    ({"client_name": "X", "redirect_uris": "https://a.example", "website": "ftp://x"},
     "http or https"),
])
def test_register_app_validation_is_422(client: Client, data, message) -> None:
    response = client.post("/api/v1/apps", data)
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed: ")
    assert message in response.json()["error"]
    assert not Application.objects.exists()


def test_verify_app_credentials(api_client, app_token, alice) -> None:
    body = api_client(token=app_token("read")).get("/api/v1/apps/verify_credentials").json()
    assert body["name"] == "Test client" and "client_secret" not in body
    assert api_client(alice, "read").get("/api/v1/apps/verify_credentials").status_code == 200
    assert api_client().get("/api/v1/apps/verify_credentials").status_code == 401
