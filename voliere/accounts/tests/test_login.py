"""Signing in with an e-mail or a handle, throttling, signing out, the language switch."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PASSWORD
from voliere.accounts.actions import set_language, suspend_account


def log_in(client, identifier: str, password: str = PASSWORD, **extra):
    return client.post(
        reverse("login"), {"identifier": identifier, "password": password}, **extra
    )


@pytest.mark.parametrize(
    "identifier", ["alice@example.org", "ALICE@Example.org", "alice", "@Alice"]
)
def test_login_with_email_or_handle(client, alice, identifier):
    response = log_in(client, identifier)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_login_follows_safe_next_only(client, alice):
    response = client.post(
        reverse("login"), {"identifier": "alice", "password": PASSWORD, "next": "/people/"}
    )
    assert response["Location"] == "/people/"
    client.logout()
    response = client.post(
        reverse("login"),
        {"identifier": "alice", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_wrong_password_is_refused_with_400(client, alice):
    response = log_in(client, "alice", "not the password")
    assert response.status_code == 400
    assert "Wrong e-mail address, handle or password." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_suspended_account_cannot_log_in(client, alice):
    suspend_account(alice.account)
    assert log_in(client, "alice").status_code == 400


def test_login_sets_language_cookie_from_user_setting(client, alice):
    set_language(alice, "fr")
    response = log_in(client, "alice")
    assert response.cookies["voliere_language"].value == "fr"


def test_throttle_locks_identifier_after_limit_even_with_right_password(client, alice, settings):
    settings.LOGIN_ATTEMPTS = 3
    for attempt in range(3):
        # Alternate identifiers: they name one account, so they share one counter.
        identifier = "alice" if attempt % 2 else "alice@example.org"
        response = log_in(client, identifier, "wrong", REMOTE_ADDR=f"10.0.0.{attempt}")
        assert response.status_code == 400
    response = log_in(client, "alice", REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttle_by_address_and_success_does_not_reset_it(client, alice, bob, settings):
    settings.LOGIN_ATTEMPTS = 2
    log_in(client, "nobody1", "wrong", REMOTE_ADDR="10.1.1.1")
    # A successful login from the same address does not clear the address counter...
    assert log_in(client, "bob", REMOTE_ADDR="10.1.1.1").status_code == 302
    client.logout()
    log_in(client, "nobody2", "wrong", REMOTE_ADDR="10.1.1.1")
    # ...so the address is now over the limit, for every account.
    assert log_in(client, "alice", REMOTE_ADDR="10.1.1.1").status_code == 429
    # Another address is not affected.
    assert log_in(client, "alice", REMOTE_ADDR="10.2.2.2").status_code == 302


def test_logout_only_by_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_set_language_sets_cookie_for_anonymous_visitor(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/people/"})
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    assert response.cookies["voliere_language"].value == "fr"
    page = client.get(reverse("login"))
    assert page["Content-Language"] == "fr"
    assert '<html lang="fr">' in page.content.decode()


def test_set_language_saves_members_choice(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")
    alice.refresh_from_db()
    assert alice.language == "fr"


@pytest.mark.django_db
def test_set_language_refuses_unknown_language_and_get(client):
    response = client.post(reverse("set_language"), {"language": "xx"})
    assert response.status_code == 400
    assert "Unknown language." in response.content.decode()
    assert "voliere_language" not in response.cookies
    assert client.get(reverse("set_language")).status_code == 405
