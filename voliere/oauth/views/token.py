"""`POST /oauth/token` and `POST /oauth/revoke` (RFC 6749, RFC 7009, RFC 7636).

Parameters come as a form or a JSON object (toot sends JSON for client_credentials);
clients authenticate with `client_id`/`client_secret` in the body or HTTP Basic. Answers are
JSON with `Cache-Control: no-store`; errors are `{"error", "error_description"}` with 400
(401 for a failed client authentication).
"""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from voliere.accounts import throttle
from voliere.oauth import actions
from voliere.oauth.errors import OAuthError
from voliere.oauth.models import AccessToken, Application
from voliere.oauth.tokens import digest


def _no_store(response: JsonResponse) -> JsonResponse:
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


def _params(request: HttpRequest) -> dict[str, str]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise OAuthError("invalid_request", _("The request body is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise OAuthError("invalid_request", _("The request body must be a JSON object."))
        return {key: value if isinstance(value, str) else json.dumps(value)
                for key, value in data.items() if value is not None}
    return {key: request.POST.get(key, "") for key in request.POST}


def _client_credentials(request: HttpRequest, params: dict[str, str]) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise OAuthError("invalid_client", _("Malformed Basic credentials."),
                             status=401) from None
        client_id, _sep, secret = decoded.partition(":")
        return unquote(client_id), unquote(secret)
    return params.get("client_id", ""), params.get("client_secret", "")


def token_response(issued: actions.IssuedToken) -> JsonResponse:
    token = issued.token
    return _no_store(JsonResponse({
        "access_token": issued.secret,
        "token_type": "Bearer",
        "scope": token.scopes,
        "created_at": int(token.created_at.timestamp()),
    }))


def _password_grant(request: HttpRequest, application: Application,
                    params: dict[str, str]) -> actions.IssuedToken:
    if not settings.OAUTH_PASSWORD_GRANT:
        raise OAuthError(
            "unsupported_grant_type",
            _("The password grant is switched off on this instance: sign in through "
              "/oauth/authorize in a browser."),
        )
    username, password = params.get("username", ""), params.get("password", "")
    if not username or not password:
        raise OAuthError("invalid_request", _("username and password are required."))
    if throttle.is_locked_out(request, username):
        raise OAuthError(
            "invalid_grant",
            _("Too many failed sign-in attempts. Try again in 15 minutes."),
            status=429,
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        throttle.record_failure(request, username)
        raise OAuthError("invalid_grant", _("Invalid e-mail address, handle or password."))
    throttle.record_success(username)
    return actions.password_grant(application=application, user=user,
                                  scope=params.get("scope"))


@csrf_exempt
@require_POST
def token_endpoint(request: HttpRequest) -> JsonResponse:
    try:
        params = _params(request)
        grant_type = params.get("grant_type", "")
        client_id, client_secret = _client_credentials(request, params)
        if grant_type not in {"authorization_code", "password", "client_credentials"}:
            raise OAuthError(
                "unsupported_grant_type",
                _("The authorization grant type is not supported by the authorization "
                  "server."),
            )
        # Public clients using PKCE may omit their secret for the authorization code.
        application = actions.find_client(
            client_id, client_secret,
            secret_required=grant_type != "authorization_code" or not params.get(
                "code_verifier"),
        )
        if grant_type == "authorization_code":
            issued = actions.exchange_code(
                application=application,
                code=params.get("code", ""),
                redirect_uri=params.get("redirect_uri"),
                code_verifier=params.get("code_verifier", ""),
            )
        elif grant_type == "password":
            issued = _password_grant(request, application, params)
        else:
            issued = actions.client_credentials_grant(application=application,
                                                      scope=params.get("scope"))
    except OAuthError as error:
        response = _no_store(JsonResponse(error.as_json(), status=error.status))
        if error.status == 401:
            response["WWW-Authenticate"] = 'Basic realm="Volière"'
        return response
    return token_response(issued)


@csrf_exempt
@require_POST
def revoke_endpoint(request: HttpRequest) -> JsonResponse:
    """Revoke a token of the authenticated client. Unknown tokens are not an error
    (RFC 7009 §2.2); another client's token is left alone, with 403."""
    try:
        params = _params(request)
        client_id, client_secret = _client_credentials(request, params)
        application = actions.find_client(client_id, client_secret)
        token = AccessToken.objects.filter(token_hash=digest(params.get("token", ""))).first()
        if token is not None:
            if token.application_id != application.pk:
                raise OAuthError("unauthorized_client",
                                 _("You are not authorized to revoke this token."), status=403)
            actions.revoke_token(token)
    except OAuthError as error:
        return _no_store(JsonResponse(error.as_json(), status=error.status))
    return _no_store(JsonResponse({}))
