"""Interactive documentation (Swagger UI) served entirely by this instance.

Ninja renders its Swagger page with the package's own JavaScript and CSS only when
"ninja" is in INSTALLED_APPS, and from a public CDN otherwise. Intranets are often closed
to the Internet, so Volière renders its own page (`api/swagger.html`) whose assets come
from `asset`, which serves the few files Swagger UI needs straight from the installed
Ninja package (the same files, the same version as the package, never copied here).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ninja
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.static import serve
from ninja.openapi.docs import DocsBase

ASSETS_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = frozenset(
    {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.svg", "favicon.png"}
)
ASSET_URL_NAME = "voliere_api_asset"


class LocalSwagger(DocsBase):
    """Swagger UI with every asset on this instance (see the module docstring)."""

    settings = {"layout": "BaseLayout", "deepLinking": True, "persistAuthorization": True}

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        config = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        assets = {
            name.replace("-", "_").replace(".", "_"): reverse(ASSET_URL_NAME, args=[name])
            for name in ASSETS
        }
        context = {
            "api": api,
            # Inside <script>: "<" escaped so no value can close the element.
            "swagger_settings": json.dumps(config).replace("<", "\\u003c"),
            "openapi_url": config["url"],
            "assets": assets,
        }
        return render(request, "api/swagger.html", context)


@require_GET
@cache_control(public=True, max_age=86400)
def asset(request: HttpRequest, name: str) -> HttpResponse:
    if name not in ASSETS:
        raise Http404(name)
    return serve(request, name, document_root=str(ASSETS_DIR))
