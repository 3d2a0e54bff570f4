"""Every change to applications, authorization codes and tokens.

The token endpoint's grants (`exchange_code`, `password_grant`, `client_credentials_grant`)
raise `OAuthError` with RFC 6749 codes; the pages and the API registration raise
`InvalidInput` naming the field at fault. Secrets are returned once, in `IssuedToken`.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from voliere.accounts.models import Account, OrganisationRole, User
from voliere.core.exceptions import InvalidInput
from voliere.oauth import scopes as scope_rules
from voliere.oauth.errors import OAuthError
from voliere.oauth.models import AccessToken, Application, AuthorizationCode, GrantType
from voliere.oauth.models.application import OOB_REDIRECT_URI
from voliere.oauth.tokens import digest, new_secret, password_stamp

CODE_LIFETIME = timedelta(minutes=10)
MAX_REDIRECT_URIS = 10


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token and its secret, which is not stored and cannot be shown again."""

    token: AccessToken
    secret: str


# --- Applications -----------------------------------------------------------------------


def _checked_redirect_uris(raw: str | list[str] | None) -> list[str]:
    """Absolute URIs without fragments (custom schemes such as `myapp://` are fine, as for
    mobile apps), or the out-of-band URN; one per line or given as a list."""
    items = raw if isinstance(raw, list) else (raw or "").split()
    uris: list[str] = []
    for uri in (item.strip() for item in items):
        if not uri:
            continue
        parts = urlsplit(uri)
        if uri != OOB_REDIRECT_URI and (not parts.scheme or parts.fragment or " " in uri):
            raise InvalidInput(
                _("%(uri)s is not an absolute URI without a fragment.") % {"uri": uri},
                field="redirect_uris",
            )
        if parts.scheme.lower() in {"javascript", "data", "vbscript"}:
            raise InvalidInput(_("%(uri)s cannot be a redirect URI.") % {"uri": uri},
                               field="redirect_uris")
        if len(uri) > 2000:
            raise InvalidInput(_("A redirect URI is too long."), field="redirect_uris")
        if uri not in uris:
            uris.append(uri)
    if not uris:
        raise InvalidInput(_("Give at least one redirect URI."), field="redirect_uris")
    if len(uris) > MAX_REDIRECT_URIS:
        raise InvalidInput(_("At most %(max)s redirect URIs.") % {"max": MAX_REDIRECT_URIS},
                           field="redirect_uris")
    return uris


def checked_scopes(raw: str | list[str] | None, *, field: str = "scopes") -> list[str]:
    try:
        return scope_rules.parse(raw)
    except scope_rules.ScopeError as error:
        raise InvalidInput(_("Unknown scope: %(scope)s") % {"scope": error.scope},
                           field=field) from None


def register_application(
    *,
    name: str,
    redirect_uris: str | list[str] | None,
    scopes: str | list[str] | None = None,
    website: str = "",
    owner: User | None = None,
) -> Application:
    """A new client application with a fresh client id and secret."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("The application needs a name."), field="client_name")
    if len(name) > 100:
        raise InvalidInput(_("The application name is longer than 100 characters."),
                           field="client_name")
    website = (website or "").strip()
    if website and urlsplit(website).scheme not in {"http", "https"}:
        raise InvalidInput(_("The website must be an http or https address."), field="website")
    if len(website) > 500:
        raise InvalidInput(_("The website address is too long."), field="website")
    uris = _checked_redirect_uris(redirect_uris)
    granted = checked_scopes(scopes)
    return Application.objects.create(
        name=name,
        website=website,
        redirect_uris="\n".join(uris),
        scopes=scope_rules.to_string(granted),
        client_id=secrets.token_urlsafe(32),
        client_secret=secrets.token_urlsafe(32),
        owner=owner,
    )


def delete_application(application: Application) -> None:
    """Removes the application with every code and token it holds."""
    application.delete()


def find_client(client_id: str | None, client_secret: str | None, *,
                secret_required: bool = True) -> Application:
    """The application these credentials name, else OAuthError invalid_client (401)."""
    application = Application.objects.filter(client_id=client_id or "").first()
    if application is None:
        raise OAuthError("invalid_client", _("Unknown client."), status=401)
    if (secret_required or client_secret) and not constant_time_compare(
        application.client_secret, client_secret or ""
    ):
        raise OAuthError("invalid_client", _("Client authentication failed."), status=401)
    return application


# --- Tokens -----------------------------------------------------------------------------


def _requested_scopes(application: Application, raw: str | None, *,
                      default: str | None = None) -> list[str]:
    """Requested scopes (default: the application's) bounded by the application's."""
    try:
        requested = scope_rules.parse(raw, default=default or application.scopes)
    except scope_rules.ScopeError as error:
        raise OAuthError("invalid_scope", _("Unknown scope: %(scope)s") % {"scope": error.scope}
                         ) from None
    if not scope_rules.within(requested, application.scope_list):
        raise OAuthError(
            "invalid_scope",
            _("The requested scope is invalid, unknown, or malformed."),
        )
    return requested


def check_user_may_hold(user: User, requested: list[str]) -> None:
    if scope_rules.needs_staff(requested) and not user.is_moderator:
        raise OAuthError("invalid_scope", _("Only moderators may hold admin scopes."))


def check_may_act_as(user: User, account: Account) -> None:
    if account.pk == user.account_id:
        return
    if account.is_suspended or not OrganisationRole.objects.filter(
        user=user, organisation=account
    ).exists():
        raise InvalidInput(_("You cannot act as this account."), field="account")


def issue_token(
    *,
    application: Application,
    user: User | None,
    scopes: list[str],
    grant_type: str,
    account: Account | None = None,
    code: AuthorizationCode | None = None,
) -> IssuedToken:
    """Create a token for `user` acting as `account` (default: their own account)."""
    if user is not None and account is None:
        account = user.account
    secret = new_secret()
    token = AccessToken.objects.create(
        application=application,
        user=user,
        account=account if user is not None else None,
        token_hash=digest(secret),
        prefix=secret[:6],
        scopes=scope_rules.to_string(scopes),
        grant_type=grant_type,
        password_stamp=password_stamp(user),
        code=code,
    )
    return IssuedToken(token=token, secret=secret)


def create_personal_token(
    *, user: User, scopes: str | list[str] | None, application: Application,
    account: Account | None = None,
) -> IssuedToken:
    """A token for oneself, from Settings → Development or `voliere token create`."""
    requested = checked_scopes(scopes)
    if not scope_rules.within(requested, application.scope_list):
        raise InvalidInput(_("These scopes are not all allowed for this application."),
                           field="scopes")
    if scope_rules.needs_staff(requested) and not user.is_moderator:
        raise InvalidInput(_("Only moderators may hold admin scopes."), field="scopes")
    if account is not None:
        check_may_act_as(user, account)
    return issue_token(application=application, user=user, scopes=requested,
                       grant_type=GrantType.PERSONAL, account=account)


def revoke_token(token: AccessToken) -> None:
    if token.revoked_at is None:
        AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token.revoked_at = timezone.now()


def revoke_authorization(user: User, application: Application) -> int:
    """Revoke every token `user` granted to `application` ("Authorized apps" → Revoke)."""
    return AccessToken.objects.filter(
        user=user, application=application, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def live_tokens_of(user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user, revoked_at__isnull=True)


# --- Authorization codes ----------------------------------------------------------------


def check_redirect_uri(application: Application, redirect_uri: str | None) -> str:
    """The redirect URI, which must be one the application registered (exactly). With one
    registered URI, omitting it means that one."""
    registered = application.redirect_uri_list
    if not redirect_uri and len(registered) == 1:
        return registered[0]
    if redirect_uri not in registered:
        raise OAuthError(
            "invalid_request",
            _("The redirect URI included is not valid."),
        )
    return redirect_uri


def check_pkce_request(challenge: str, method: str) -> tuple[str, str]:
    if not challenge:
        if method:
            raise OAuthError("invalid_request", _("code_challenge is missing."))
        return "", ""
    method = method or "plain"
    if method not in {"S256", "plain"}:
        raise OAuthError("invalid_request",
                         _("code_challenge_method must be S256 or plain."))
    if not 43 <= len(challenge) <= 128:
        raise OAuthError("invalid_request",
                         _("code_challenge must be 43 to 128 characters long."))
    return challenge, method


def create_authorization_code(
    *,
    application: Application,
    user: User,
    account: Account,
    redirect_uri: str,
    scopes: list[str],
    code_challenge: str = "",
    code_challenge_method: str = "",
) -> str:
    """Record the user's consent; returns the code to hand to the application."""
    check_may_act_as(user, account)
    code = new_secret()
    AuthorizationCode.objects.create(
        application=application,
        user=user,
        account=account,
        code_hash=digest(code),
        redirect_uri=redirect_uri,
        scopes=scope_rules.to_string(scopes),
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        expires_at=timezone.now() + CODE_LIFETIME,
    )
    return code


def _pkce_matches(grant: AuthorizationCode, verifier: str) -> bool:
    if not grant.code_challenge:
        return True
    if not verifier or not 43 <= len(verifier) <= 128:
        return False
    if grant.code_challenge_method == "S256":
        computed = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        expected = computed.rstrip(b"=").decode()
    else:
        expected = verifier
    return constant_time_compare(expected, grant.code_challenge)


def exchange_code(
    *, application: Application, code: str, redirect_uri: str | None, code_verifier: str
) -> IssuedToken:
    """authorization_code grant: one use, within CODE_LIFETIME, same redirect URI, PKCE.

    A code presented twice is refused, and the token issued for it the first time is
    revoked (RFC 6749 §4.1.2: the code may have been intercepted). The code row is locked
    while it is checked, so two concurrent exchanges cannot both succeed.
    """
    invalid = OAuthError(
        "invalid_grant",
        _("The provided authorization grant is invalid, expired, revoked, does not match "
          "the redirection URI used in the authorization request, or was issued to another "
          "client."),
    )
    with transaction.atomic():
        grant = (
            AuthorizationCode.objects.select_for_update()
            .filter(code_hash=digest(code or ""), application=application)
            .first()
        )
        if grant is None:
            raise invalid
        if grant.used_at is None:
            return _redeem(grant, application, redirect_uri, code_verifier, invalid)
    # A replay: outside the atomic block, so the revocation is not rolled back with it.
    AccessToken.objects.filter(code=grant, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    raise invalid


def _redeem(grant: AuthorizationCode, application: Application, redirect_uri: str | None,
            code_verifier: str, invalid: OAuthError) -> IssuedToken:
    if grant.expires_at <= timezone.now():
        raise invalid
    if (redirect_uri or grant.redirect_uri) != grant.redirect_uri:
        raise invalid
    if not _pkce_matches(grant, code_verifier):
        raise OAuthError("invalid_grant", _("The code verifier does not match the challenge."))
    grant.used_at = timezone.now()
    grant.save(update_fields=["used_at"])
    user = User.objects.select_related("account").get(pk=grant.user_id)
    account = Account.objects.get(pk=grant.account_id)
    if not user.is_active or user.account.is_suspended or account.is_suspended:
        raise invalid
    return issue_token(
        application=application,
        user=user,
        account=account,
        scopes=grant.scopes.split(),
        grant_type=GrantType.AUTHORIZATION_CODE,
        code=grant,
    )


def password_grant(*, application: Application, user: User, scope: str | None) -> IssuedToken:
    """password grant, once the caller has checked the password (and its throttle)."""
    requested = _requested_scopes(application, scope, default="read")
    check_user_may_hold(user, requested)
    return issue_token(application=application, user=user, scopes=requested,
                       grant_type=GrantType.PASSWORD)


def client_credentials_grant(*, application: Application, scope: str | None) -> IssuedToken:
    """An application-only token: public data, and `apps/verify_credentials`."""
    requested = _requested_scopes(application, scope, default="read")
    if scope_rules.needs_staff(requested):
        raise OAuthError("invalid_scope", _("Applications alone cannot hold admin scopes."))
    return issue_token(application=application, user=None, scopes=requested,
                       grant_type=GrantType.CLIENT_CREDENTIALS)


def authorization_scopes(application: Application, raw: str | None) -> list[str]:
    """Scopes an authorization request may ask for (OAuthError invalid_scope otherwise)."""
    return _requested_scopes(application, raw, default="read")
