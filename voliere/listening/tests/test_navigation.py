"""The "Listening" link shows for organisation managers after sign-in, not for others."""

from __future__ import annotations

import pytest

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, user) -> None:
    response = client.post("/login/", {"identifier": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_manager_sees_the_listening_link_and_others_do_not(client, listener, bob):
    _sign_in(client, listener)
    assert 'href="/listening/"' in client.get("/").content.decode()
    client.logout()
    _sign_in(client, bob)
    assert 'href="/listening/"' not in client.get("/").content.decode()
    assert client.get("/listening/").status_code == 404
