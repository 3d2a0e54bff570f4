"""Token secrets: generation, hashing, and turning a presented bearer token into a grant.

Tokens are 43 URL-safe characters (256 random bits); only their SHA-256 digest is stored,
so the look-up is one indexed equality query and a stolen database yields no token.

A token stops working at once when it is revoked, when its user is deactivated or their
account suspended, when the organisation it acts for is suspended or the user stops
managing it, and when the user's password changes (the token carries a keyed digest of the
password hash it was issued under: a password change, or a reset by e-mail, signs out
every app, as a stolen password must not leave a door open).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.utils.crypto import constant_time_compare, salted_hmac

from voliere.accounts.models import Account, OrganisationRole, User
from voliere.oauth.models import AccessToken

TOKEN_BYTES = 32


def new_secret() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def password_stamp(user: User | None) -> str:
    """Changes whenever the user's password does (empty for application-only tokens)."""
    if user is None:
        return ""
    stamp = salted_hmac("voliere.oauth.password-stamp", user.password, algorithm="sha256")
    return stamp.hexdigest()


@dataclass(frozen=True, slots=True)
class Grant:
    """Who a valid token speaks for: `user`/`account` are None for application tokens."""

    token: AccessToken
    user: User | None
    account: Account | None
    scopes: frozenset[str]


def _acts_legitimately(token: AccessToken) -> bool:
    user = token.user
    if user is None:
        return token.account_id is None
    if not user.is_active or user.account.is_suspended:
        return False
    if not constant_time_compare(token.password_stamp, password_stamp(user)):
        return False
    if token.account_id == user.account_id:
        return True
    account = token.account
    if account is None or account.is_suspended:
        return False
    return OrganisationRole.objects.filter(user=user, organisation=account).exists()


def authenticate(secret: str) -> Grant | None:
    """The grant a presented token carries, or None if it is unknown or no longer valid.

    One query for a person's token (the token with its user, account and application);
    one more for a token acting as an organisation (the manager role is re-checked).
    """
    if not secret or len(secret) > 200:
        return None
    token = (
        AccessToken.objects.select_related("user__account", "account", "application")
        .filter(token_hash=digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not _acts_legitimately(token):
        return None
    account = token.account if token.user is not None else None
    return Grant(
        token=token, user=token.user, account=account, scopes=frozenset(token.scope_list)
    )
