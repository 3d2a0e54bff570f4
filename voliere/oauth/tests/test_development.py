"""Settings → Development: applications, tokens shown once, authorized apps, revocation,
and who may see or touch what."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from voliere.accounts.acting import SESSION_KEY
from voliere.accounts.actions import create_organisation
from voliere.oauth import actions
from voliere.oauth.models import AccessToken, Application
from voliere.oauth.tests.conftest import REDIRECT

pytestmark = pytest.mark.django_db

NEW_APP = {"name": "My script", "website": "", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
           "scopes": ["read", "write:statuses"]}


def shown_token(html: str) -> str:
    match = re.search(r'class="secret" type="text" readonly value="([^"]+)"', html)
    assert match, "no token on the page"
    return match.group(1)


def test_signed_out_is_sent_to_login(client: Client) -> None:
    response = client.get("/settings/development/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_create_application_shows_credentials_and_token_once(client, alice, login) -> None:
    login(alice)
    response = client.post("/settings/development/", NEW_APP, follow=True)
    assert response.status_code == 200
    application = Application.objects.get()
    html = response.content.decode()
    assert application.owner == alice and application.scopes == "read write:statuses"
    assert application.client_id in html and application.client_secret in html
    token = shown_token(html)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/v1/apps/verify_credentials").json()["name"] == "My script"
    # Shown once: reloading the page does not show it again.
    again = client.get(f"/settings/development/applications/{application.pk}/")
    assert token not in again.content.decode()
    assert AccessToken.objects.get().prefix in again.content.decode()


def test_invalid_application_form_says_what_is_wrong(client, alice, login) -> None:
    login(alice)
    response = client.post("/settings/development/", {**NEW_APP, "name": "",
                                                      "redirect_uris": "not a uri"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = client.post("/settings/development/", {**NEW_APP, "redirect_uris": "nope"})
    assert response.status_code == 400
    assert "is not an absolute URI" in response.content.decode()
    response = client.post("/settings/development/", {**NEW_APP, "scopes": ["admin:read"]})
    assert response.status_code == 400  # not offered to members
    assert not Application.objects.exists() and not AccessToken.objects.exists()


def test_new_token_for_an_existing_application(client, alice, login) -> None:
    login(alice)
    client.post("/settings/development/", NEW_APP)
    application = Application.objects.get()
    url = f"/settings/development/applications/{application.pk}/"
    response = client.post(url, {"scopes": ["read"]}, follow=True)
    token = shown_token(response.content.decode())
    assert AccessToken.objects.get(prefix=token[:6]).scopes == "read"
    refused = client.post(url, {"scopes": ["write"]})
    assert refused.status_code == 400  # not among the application's scopes


def test_token_acts_as_the_account_in_use(client, alice, login) -> None:
    org = create_organisation(handle="acme", display_name="Acme", managers=[alice])
    login(alice)
    session = client.session
    session[SESSION_KEY] = org.pk
    session.save()
    client.post("/settings/development/", NEW_APP)
    assert AccessToken.objects.get().account == org


def test_other_peoples_applications_and_tokens_are_out_of_reach(client, alice, bob,
                                                                login) -> None:
    app = actions.register_application(name="Bob's", redirect_uris=REDIRECT, owner=bob)
    issued = actions.create_personal_token(user=bob, scopes="read", application=app)
    login(alice)
    assert client.get(f"/settings/development/applications/{app.pk}/").status_code == 404
    assert client.post(f"/settings/development/applications/{app.pk}/delete/").status_code == 404
    response = client.post(f"/settings/development/tokens/{issued.token.pk}/revoke/")
    assert response.status_code == 404
    response = client.post(f"/settings/development/authorized/{app.pk}/revoke/")
    assert response.status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None and Application.objects.filter(pk=app.pk).exists()


def test_revoke_token_and_delete_application(client, alice, login) -> None:
    login(alice)
    client.post("/settings/development/", NEW_APP)
    application = Application.objects.get()
    token = AccessToken.objects.get()
    response = client.post(f"/settings/development/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.post(f"/settings/development/applications/{application.pk}/delete/")
    assert not Application.objects.exists() and not AccessToken.objects.exists()


def test_authorized_apps_listed_and_revoked(client, alice, login) -> None:
    app = actions.register_application(name="Tusky", redirect_uris=REDIRECT,
                                       scopes="read write")
    first = actions.password_grant(application=app, user=alice, scope="read")
    second = actions.password_grant(application=app, user=alice, scope="read write")
    login(alice)
    html = client.get("/settings/development/").content.decode()
    assert "Tusky" in html and "read write" in html
    response = client.post(f"/settings/development/authorized/{app.pk}/revoke/", follow=True)
    assert "Tusky can no longer use your account." in response.content.decode()
    api = Client()
    for issued in (first, second):
        assert api.get("/api/v1/apps/verify_credentials",
                       HTTP_AUTHORIZATION=f"Bearer {issued.secret}").status_code == 401


def test_development_page_query_count_does_not_grow(client, alice, login,
                                                    django_assert_num_queries) -> None:
    def add_apps(count: int) -> None:
        for n in range(count):
            app = actions.register_application(name=f"App {n}", redirect_uris=REDIRECT,
                                               owner=alice if n % 2 else None)
            actions.password_grant(application=app, user=alice, scope="read")

    login(alice)
    add_apps(2)
    client.get("/settings/development/")
    with django_assert_num_queries(4) as small:  # session, user, apps, tokens
        client.get("/settings/development/")
    add_apps(10)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get("/settings/development/")
