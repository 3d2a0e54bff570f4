"""Changing a password while signed in, and resetting a forgotten one by e-mail."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from conftest import PASSWORD

NEW = "an entirely new passphrase 7"


def test_password_change_needs_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_keeps_session_and_new_password_works(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert client.get(reverse("password_change")).status_code == 200  # still signed in
    alice.refresh_from_db()
    assert alice.check_password(NEW)


def test_password_change_refuses_wrong_old_password_and_weak_new_one(client, alice):
    client.force_login(alice)
    wrong_old = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong_old.status_code == 400
    assert "old password was entered incorrectly" in wrong_old.content.decode()
    weak = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 400
    assert "This password is entirely numeric." in weak.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_reset_by_email_end_to_end(client, alice):
    response = client.post(reverse("password_reset"), {"email": "Alice@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    link = re.search(r"https?://[^/\s]+(/password/reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password(NEW)
    # The link works once.
    assert "invalid" in client.get(link, follow=True).content.decode()
    login = client.post(reverse("login"), {"identifier": "alice", "password": NEW})
    assert login.status_code == 302


def test_password_reset_for_unknown_address_sends_nothing(client, alice):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_mails_are_rate_limited(alice, client):
    from django.core import mail

    for _ in range(6):
        response = client.post("/password/reset/", {"email": alice.email})
        assert response.status_code == 302  # same answer, limit or not
    assert len(mail.outbox) == 3


def test_login_lock_lasts_the_whole_window_with_the_database_cache(alice, client, monkeypatch):
    """The database cache rewrites expiry on each write; the counter must keep its window."""
    import time_machine
    from django.conf import settings
    from django.core.cache.backends.db import DatabaseCache
    from django.core.management import call_command

    from voliere.accounts import throttle

    call_command("createcachetable", "voliere_test_cache", verbosity=0)
    monkeypatch.setattr(throttle, "cache", DatabaseCache("voliere_test_cache", {}))
    with time_machine.travel("2026-11-23 10:00:00Z", tick=False) as clock:
        for _ in range(settings.LOGIN_ATTEMPTS):
            client.post("/login/", {"identifier": "alice", "password": "wrong"})
        clock.shift(10 * 60)  # ten minutes later: still inside the 15-minute window
        response = client.post("/login/", {"identifier": "alice", "password": PASSWORD})
        assert response.status_code == 429
        clock.shift(6 * 60)
        response = client.post("/login/", {"identifier": "alice", "password": PASSWORD})
        assert response.status_code == 302
