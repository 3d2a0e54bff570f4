"""The health check through the real ASGI server, the way a load balancer calls it."""

from __future__ import annotations

import httpx
import pytest

from tests.live_server import LiveServer


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_ok_through_uvicorn(asgi_server: LiveServer) -> None:
    response = httpx.get(f"{asgi_server.url}/healthz", timeout=5.0)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db(transaction=True)
def test_live_server_reads_rows_committed_by_the_test(asgi_server: LiveServer, make_user) -> None:
    """The server and the test share one database, so end-to-end tests can set up data."""
    make_user("livecheck", display_name="Live Check")

    response = httpx.get(f"{asgi_server.url}/@livecheck/", timeout=5.0)

    assert response.status_code == 200
    assert "Live Check" in response.text
