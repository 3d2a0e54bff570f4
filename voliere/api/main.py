"""Volière's own API (`/api/voliere/v1/`): what Mastodon has no endpoint for.

Django Ninja builds the OpenAPI document (`openapi.json`) from the typed operations, and
that document is the contract the tests fuzz (schemathesis) and validate answers against.
Authentication, scopes and rate limits are the Mastodon API's (`voliere.api.auth`); errors
share one shape (`voliere.api.errors`); lists page by cursor (`voliere.api.pagination`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from voliere.api.auth import RATE_STATE
from voliere.api.docs import LocalSwagger
from voliere.api.errors import install_handlers
from voliere.api.routers import accounts, communities, discovery, knowledge

DESCRIPTION = """
The features of Volière that the Mastodon client API has no endpoint for: organisations
and affiliated accounts, profiles with skills and endorsements, communities, knowledge
(articles, questions and answers, the validated space), the expertise finder and search.

**Authentication.** The same access tokens as the Mastodon API (Settings → Development,
`voliere token create`, or OAuth at `/oauth/authorize`), sent as
`Authorization: Bearer <token>`. Each operation lists the scopes that let a token in (any
one suffices; `read` includes `read:accounts`, `follow` includes `write:follows`). Where
visitors may read the web page, anonymous calls are served public data only.

**Errors** are JSON: `{"error": "…", "detail": [{"field": "…", "message": "…"}] | null}`
with 400 (unreadable body), 401 (missing or bad token), 403 (out of scope, not allowed),
404 (missing or hidden: a secret community or someone else's draft is simply not found),
422 (invalid input, the fields at fault in `detail`) or 429 (rate limit; every answer
carries `X-RateLimit-Limit`, `-Remaining` and `-Reset`).

**Pagination.** Lists answer `{"items": […], "next_max_id": "…", "next": "…"}`, newest
first, with a `Link: <…>; rel="next"` header: pass `next_max_id` as `max_id` (or follow
`next`) for the next page; null means the end. `limit` is 1–40 (20 by default). The
community directory pages by `page` number (`next_page`), as it sorts by activity.

Ids are strings.
"""


class VoliereApi(NinjaAPI):
    """Adds the rate-limit headers of the call (counted by `TokenAuth`) to every answer."""

    def create_response(self, request: HttpRequest, data: Any, *, status: int | None = None,
                        temporal_response: HttpResponse | None = None) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        state = getattr(request, RATE_STATE, None)
        if state is not None:
            for name, value in state.headers().items():
                response[name] = value
        return response


api = VoliereApi(
    title="Volière API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="voliere_api",
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_handlers(api)
api.add_router("", accounts.router)
api.add_router("", communities.router)
api.add_router("", knowledge.router)
api.add_router("", discovery.router)
