"""Shared helpers for search tests."""

from __future__ import annotations

import httpx

from conftest import PASSWORD
from voliere.search.engine import search


def found_ids(viewer, query: str, kind: str = "posts", **options) -> list[int]:
    """Ids of the `kind` results `viewer` gets for `query` (None: anonymous)."""
    results = search(viewer, query, kinds=[kind], **options)
    return [item.object.pk for item in results.by_kind[kind].items]


def sign_in(server_url: str, user) -> httpx.Client:
    """An httpx client signed in to the live server through its login form (the server has
    its own secret key: a session made in the test process would not be valid there)."""
    client = httpx.Client(base_url=server_url, timeout=10)
    client.get("/login/")
    response = client.post(
        "/login/",
        data={
            "identifier": user.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
        },
        headers={"Referer": f"{server_url}/login/"},
    )
    assert response.status_code == 302, response.text[:500]
    return client
