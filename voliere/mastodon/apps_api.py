"""`POST /api/v1/apps` and `GET /api/v1/apps/verify_credentials` (Mastodon's Application
entity). Registration is open to anyone, as on Mastodon, and rate-limited per address by
the API plumbing; what an application may then do is decided when people authorize it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from voliere.mastodon.plumbing import api_json, api_view
from voliere.oauth import actions
from voliere.oauth.models import Application


def application_json(application: Application, *, with_secret: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(application.pk),
        "name": application.name,
        "website": application.website or None,
        "scopes": application.scope_list,
        "redirect_uri": "\n".join(application.redirect_uri_list),
        "redirect_uris": application.redirect_uri_list,
        "vapid_key": "",
    }
    if with_secret:
        data["client_id"] = application.client_id
        data["client_secret"] = application.client_secret
        data["client_secret_expires_at"] = 0
    return data


@api_view(methods=("POST",), auth="optional")
def create_app(request: HttpRequest) -> HttpResponse:
    params = request.api_params
    redirect = params.get_list("redirect_uris") if params.is_json and isinstance(
        params.get("redirect_uris"), list) else params.get_str("redirect_uris")
    application = actions.register_application(
        name=params.get_str("client_name") or "",
        redirect_uris=redirect,
        scopes=params.get_str("scopes"),
        website=params.get_str("website") or "",
    )
    return api_json(application_json(application, with_secret=True))


@api_view(auth="app")
def verify_app_credentials(request: HttpRequest) -> HttpResponse:
    return api_json(application_json(request.api_token.application, with_secret=False))
