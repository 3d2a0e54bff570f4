"""The OpenAPI document and the interactive docs, served without any outside host."""

from __future__ import annotations

import re

import pytest

from voliere.api.tests.conftest import BASE

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_every_area_with_scopes_and_errors(client):
    document = client.get(f"{BASE}/openapi.json").json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path in ("/organisations", "/profiles/{handle}", "/communities/{slug}/members",
                 "/articles", "/threads/{thread_id}/answers", "/experts", "/search"):
        assert f"{BASE}{path}" in paths, path
    for path, methods in paths.items():
        for method, spec in methods.items():
            where = f"{method.upper()} {path}"
            assert spec["summary"], where
            assert spec["x-scopes"], where
            assert "**Scopes**" in spec["description"], where
            assert {"401", "403", "404", "422"} <= set(spec["responses"]), where
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_anonymous_operations_mark_the_token_optional(client):
    paths = client.get(f"{BASE}/openapi.json").json()["paths"]
    assert {} in paths[f"{BASE}/search"]["get"]["security"]
    assert {} not in paths[f"{BASE}/experts"]["get"]["security"]


def test_docs_page_loads_only_local_assets(client):
    response = client.get(f"{BASE}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "cdn" not in html.lower()
    assert f"{BASE}/openapi.json" in html
    for url in urls:
        if url.endswith((".js", ".css")):
            asset = client.get(url)
            assert asset.status_code == 200, url
            assert b"".join(asset.streaming_content)[:1]


def test_docs_assets_are_a_closed_list(client):
    assert client.get(f"{BASE}/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get(f"{BASE}/docs/assets/redoc.standalone.js.map").status_code == 404
    assert client.get(f"{BASE}/docs/assets/..%2F__init__.py").status_code == 404
