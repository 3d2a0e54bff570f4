"""Over real HTTP on loopback (uvicorn): a secret community answers 404 to outsiders and
anonymous visitors, with nothing of its name in the body, and 200 to its members."""

from __future__ import annotations

import httpx
import pytest

from conftest import PASSWORD
from voliere.communities.models import Kind
from voliere.communities.tests.factories import add_member, make_community


def _signed_in(server_url: str, user) -> httpx.Client:
    """Through the login form: the server has its own secret key, so a session made in
    this process would not be valid there."""
    client = httpx.Client(base_url=server_url, timeout=20)
    client.get("/login/")
    response = client.post(
        "/login/",
        data={"identifier": user.email, "password": PASSWORD,
              "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        headers={"Referer": f"{server_url}/login/"},
    )
    assert response.status_code == 302, response.text[:300]
    return client


@pytest.mark.django_db(transaction=True)
def test_secret_community_over_http(asgi_server, make_user):
    owner, member, outsider = make_user("owner"), make_user("member"), make_user("outsider")
    secret = make_community(owner, Kind.SECRET, name="Quokka cabal", slug="quokka")
    add_member(secret, member)
    anonymous = httpx.Client(base_url=asgi_server.url, timeout=20)
    for client in (anonymous, _signed_in(asgi_server.url, outsider)):
        response = client.get("/c/quokka/")
        assert response.status_code == 404 and "Quokka" not in response.text
        response = client.get("/communities/", params={"q": "quokka"})
        assert response.status_code == 200 and "Quokka" not in response.text
        client.close()
    insider = _signed_in(asgi_server.url, member)
    response = insider.get("/c/quokka/")
    insider.close()
    assert response.status_code == 200 and "Quokka cabal" in response.text
