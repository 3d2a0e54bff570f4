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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/static/voliere/app.css", "text/css"),
        ("/static/vendor/htmx.min.js", "text/javascript"),
        ("/static/voliere/app.js", "text/javascript"),
    ],
)
def test_static_assets_served_by_the_production_stack(
    asgi_server: LiveServer, path: str, content_type: str
) -> None:
    """Pages link these (base.html); without them the UI has no style and no HTMX."""
    response = httpx.get(f"{asgi_server.url}{path}", timeout=5.0)

    assert response.status_code == 200, f"{path}: {response.status_code}"
    assert response.headers["content-type"].startswith(content_type)
    assert len(response.content) > 100
