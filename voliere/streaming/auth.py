"""Who is connecting: an OAuth access token (Mastodon clients) or a web session (the page).

The streaming handlers are plain ASGI apps (Django does not serve WebSockets, and event
streams outlive requests), so they read credentials from the ASGI scope themselves but
resolve them with the project's own code: access tokens through the Mastodon API's bearer
authentication, web sessions through Django's session and auth machinery and the
"acting as an organisation" rule of `voliere.accounts.acting`. Both run in the
streaming database thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from django.conf import settings


@dataclass(frozen=True)
class Credentials:
    """A connected viewer: their account id, granted scopes, and the key that counts
    their connections against the per-token limit."""

    account_id: int
    scopes: frozenset[str]
    limit_key: str


def _headers(scope: dict) -> dict[str, str]:
    return {name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in scope.get("headers", [])}


def query_params(scope: dict) -> dict[str, str]:
    """The query string, one value per name (the first)."""
    raw = parse_qs(scope.get("query_string", b"").decode("utf-8", "replace"))
    return {name: values[0] for name, values in raw.items() if values}


@dataclass(frozen=True)
class OfferedToken:
    token: str
    # The WebSocket subprotocol to echo when the token came in Sec-WebSocket-Protocol.
    subprotocol: str | None = None


def offered_token(scope: dict) -> OfferedToken | None:
    """The access token, from (in Mastodon's order) the `Authorization: Bearer` header, the
    `access_token` query parameter, or the `Sec-WebSocket-Protocol` header."""
    headers = _headers(scope)
    authorization = headers.get("authorization", "")
    if authorization[:7].lower() == "bearer " and authorization[7:].strip():
        return OfferedToken(authorization[7:].strip())
    from_query = query_params(scope).get("access_token", "").strip()
    if from_query:
        return OfferedToken(from_query)
    protocol = headers.get("sec-websocket-protocol", "").split(",")[0].strip()
    if protocol and scope.get("type") == "websocket":
        return OfferedToken(protocol, subprotocol=protocol)
    return None


def authenticate_token(token: str) -> Credentials | None:
    """The token's account and scopes (the Mastodon API's own check: unknown, revoked,
    password changed, suspended, manager role withdrawn all fail), or None. Application
    tokens speak for no account and cannot stream."""
    from voliere.oauth.tokens import authenticate

    grant = authenticate(token)
    if grant is None or grant.account is None:
        return None
    return Credentials(grant.account.id, grant.scopes, f"token:{grant.token.pk}")


def authenticate_session(scope: dict) -> Credentials | None:
    """The web session's viewer (the account the user acts as), or None if signed out."""
    from django.contrib.auth import get_user
    from django.http import HttpRequest
    from django.utils.module_loading import import_string

    cookie = SimpleCookie()
    cookie.load(_headers(scope).get("cookie", ""))
    morsel = cookie.get(settings.SESSION_COOKIE_NAME)
    if morsel is None or not morsel.value:
        return None
    engine = import_string(settings.SESSION_ENGINE + ".SessionStore")
    request = HttpRequest()
    request.session = engine(morsel.value)
    user = get_user(request)  # checks the session hash: a changed password signs out
    if not user.is_authenticated:
        return None
    request.user = user
    from voliere.accounts.acting import acting_account

    account = acting_account(request)
    if account is None or account.is_suspended:
        return None
    return Credentials(
        account.id, frozenset({"read"}), f"session:{request.session.session_key}"
    )


def origin(scope: dict) -> str:
    """`scheme://host` as the client addressed the server (for absolute URLs in payloads)."""
    scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "http"), scope.get("scheme"))
    host = _headers(scope).get("host") or "localhost"
    return f"{scheme or 'http'}://{host}"
