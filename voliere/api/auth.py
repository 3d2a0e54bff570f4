"""Who is calling: the same bearer tokens, scopes and rate limits as the Mastodon API.

Every operation declares `TokenAuth(scopes, anonymous=...)`:

- the token comes from `Authorization: Bearer <token>` and is looked up by the OAuth app
  (`voliere.oauth.tokens.authenticate`: revoked tokens, suspended accounts, changed
  passwords and lost organisation roles all fail there, in one place);
- `scopes` are alternatives, any one sufficing, broader ones included
  (`voliere.oauth.scopes.grants_any`: `read` grants `read:accounts`, `follow` grants
  `write:follows`); out of scope → 403;
- `anonymous=True` where the web pages and the Mastodon API serve visitors: no token is
  served as an anonymous visitor (public data only), and so is an application-only
  token; a token that is sent must still be valid (401) and in scope (403).
  `anonymous=False`: a person's token is required (none or a bad one → 401, an
  application-only token → 422, as Mastodon answers);
- calls are counted per token (per client address without one) by
  `voliere.oauth.ratelimit`, shared with the Mastodon API; over the limit → 429. Every
  answer carries `X-RateLimit-*` headers (added by `VoliereApi.create_response`).

Session cookies are never credentials here: a browser tab signed in to Volière cannot be
made to call this API (so there is no CSRF to protect against either).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from voliere.accounts.models import Account, User
from voliere.accounts.throttle import client_address
from voliere.api.errors import ApiError
from voliere.oauth import ratelimit
from voliere.oauth import scopes as scope_rules
from voliere.oauth.models import AccessToken
from voliere.oauth.tokens import Grant, authenticate

INVALID_TOKEN = "The access token is invalid"  # noqa: S105 — a message, not a secret
OUT_OF_SCOPE = "This action is outside the authorized scopes"
USER_REQUIRED = "This method requires an authenticated user"
LAST_USED_RESOLUTION = timedelta(hours=1)
RATE_STATE = "_voliere_api_rate"


@dataclass(frozen=True, slots=True)
class Caller:
    """The result of authentication, `request.auth` in every operation."""

    grant: Grant | None

    @property
    def user(self) -> User | None:
        return self.grant.user if self.grant else None

    @property
    def viewer(self) -> Account | None:
        """The account the token acts as (a person, or an organisation they manage); None
        for anonymous callers and application-only tokens, who see public data only."""
        if self.grant is None or self.grant.user is None:
            return None
        return self.grant.account

    def require_viewer(self) -> Account:
        viewer = self.viewer
        if viewer is None:  # only reachable on anonymous-allowed operations
            raise ApiError(401, INVALID_TOKEN)
        return viewer


def _invalid_token() -> ApiError:
    return ApiError(
        401,
        INVALID_TOKEN,
        headers={
            "WWW-Authenticate": 'Bearer realm="Volière", error="invalid_token", '
            'error_description="The access token is invalid"'
        },
    )


def _touch(token: AccessToken) -> None:
    """`last_used_at` shown in Settings → Development, written at most once an hour."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)


def _count_call(request: HttpRequest, grant: Grant | None) -> None:
    if grant is not None:
        state = ratelimit.hit(f"{grant.token.pk}", authenticated=True)
    else:
        state = ratelimit.hit(client_address(request), authenticated=False)
    setattr(request, RATE_STATE, state)
    if state is not None and not state.allowed:
        raise ApiError(429, "Too many requests", headers=state.headers())


class TokenAuth(HttpBearer):
    """Bearer-token authentication with scopes (see the module docstring)."""

    def __init__(self, scopes: str | tuple[str, ...], *, anonymous: bool = False) -> None:
        super().__init__()
        self.scopes = (scopes,) if isinstance(scopes, str) else tuple(scopes)
        unknown = [s for s in self.scopes if s not in scope_rules.ALL_SCOPES]
        if unknown:
            raise ValueError(f"TokenAuth: unknown scopes {unknown}")
        self.anonymous = anonymous

    def __call__(self, request: HttpRequest) -> Caller:
        header = request.headers.get("Authorization", "")
        if not header:
            _count_call(request, None)
            if not self.anonymous:
                raise _invalid_token()
            return Caller(None)
        scheme, _sep, secret = header.partition(" ")
        grant = authenticate(secret.strip()) if scheme.lower() == "bearer" else None
        _count_call(request, grant)
        return self.authenticate(request, grant)

    def authenticate(self, request: HttpRequest, token: Grant | None) -> Caller:  # type: ignore[override]
        grant = token
        if grant is None:
            raise _invalid_token()
        if not scope_rules.grants_any(grant.scopes, self.scopes):
            raise ApiError(403, OUT_OF_SCOPE)
        if grant.user is None and not self.anonymous:
            raise ApiError(422, USER_REQUIRED)
        _touch(grant.token)
        return Caller(grant)
