"""Sign-up through the page: the success path and every refusal (400, message, nothing saved)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from voliere.accounts.actions import create_invite, create_organisation
from voliere.accounts.models import Account, User

GOOD = {
    "handle": "dora",
    "display_name": "Dora Explorer",
    "email": "dora@example.org",
    "password": "correct horse battery staple",
    "password_again": "correct horse battery staple",
}


def signup(client, **changes):
    return client.post(reverse("signup"), {**GOOD, **changes})


def assert_refused(response, message: str, users_before: int, accounts_before: int) -> None:
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == users_before
    assert Account.objects.count() == accounts_before


@pytest.mark.django_db
def test_signup_creates_user_logs_in_and_redirects_home(client):
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="dora@example.org")
    assert user.account.handle == "dora"
    assert user.account.display_name == "Dora Explorer"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_signup_page_renders(client):
    response = client.get(reverse("signup"))
    assert response.status_code == 200
    assert 'name="handle"' in response.content.decode()
    assert 'name="invite_code"' not in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"handle": "ALICE"}, "This handle is already taken."),
        ({"handle": "no spaces!"}, "A handle may only contain letters, digits and underscores"),
        ({"handle": "admin"}, "This handle is reserved."),
        ({"email": "ALICE@example.org"}, "An account with this e-mail address already exists."),
        ({"password": "password", "password_again": "password"}, "This password is too common"),
        ({"password_again": "something else entirely"}, "The two passwords differ."),
    ],
    ids=["duplicate-handle", "invalid-handle", "reserved", "duplicate-email", "weak", "mismatch"],
)
def test_signup_refusals(client, alice, changes, message):
    users, accounts = User.objects.count(), Account.objects.count()
    response = signup(client, **changes)
    assert_refused(response, message, users, accounts)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_invite_mode_needs_a_valid_code(client, settings):
    settings.SIGNUP_MODE = "invite"
    assert 'name="invite_code"' in client.get(reverse("signup")).content.decode()
    assert_refused(signup(client), "This invitation code is not valid.", 0, 0)
    assert_refused(signup(client, invite_code="nope"), "This invitation code is not valid.", 0, 0)
    invite = create_invite(created_by=None, max_uses=1)
    response = signup(client, invite_code=invite.code)
    assert response.status_code == 302
    invite.refresh_from_db()
    assert invite.uses == 1
    client.logout()
    used_up = signup(
        client, handle="eve", email="eve@example.org", invite_code=invite.code
    )
    assert_refused(used_up, "This invitation code is not valid.", 1, 1)


@pytest.mark.django_db
def test_domain_mode_accepts_only_listed_domains_and_verifies_employment(client, settings):
    settings.SIGNUP_MODE = "domain"
    settings.SIGNUP_DOMAINS = ["acme.test"]
    acme = create_organisation(handle="acme", display_name="Acme")
    assert_refused(signup(client), "Sign-up is limited to addresses at: acme.test.", 0, 1)
    response = signup(client, email="dora@ACME.test")
    assert response.status_code == 302
    account = Account.objects.get(handle="dora")
    assert account.organisation == acme
    assert account.employment_verified
