"""`/.well-known/oauth-authorization-server`: RFC 8414 metadata, as Mastodon 4.3 serves it,
so clients discover the endpoints, scopes and PKCE support without guessing."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from voliere.oauth import scopes as scope_rules


@require_GET
def authorization_server_metadata(request: HttpRequest) -> JsonResponse:
    def absolute(name: str) -> str:
        return request.build_absolute_uri(reverse(name))

    return JsonResponse({
        "issuer": request.build_absolute_uri("/"),
        "authorization_endpoint": absolute("oauth_authorize"),
        "token_endpoint": absolute("oauth_token"),
        "revocation_endpoint": absolute("oauth_revoke"),
        "app_registration_endpoint": request.build_absolute_uri("/api/v1/apps"),
        "scopes_supported": sorted(scope_rules.ALL_SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "password", "client_credentials"],
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic", "client_secret_post", "none",
        ],
        "code_challenge_methods_supported": ["S256", "plain"],
    })
