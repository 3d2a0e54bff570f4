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

import copy
import hashlib
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections, router
from django.utils import timezone
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


def _token_query(hashed: str):
    return AccessToken.objects.select_related("user__account", "account", "application").filter(
        token_hash=hashed, revoked_at__isnull=True
    )


def _full_authenticate(hashed: str) -> Grant | None:
    token = _token_query(hashed).first()
    if token is None or not _acts_legitimately(token):
        return None
    account = token.account if token.user is not None else None
    return Grant(
        token=token, user=token.user, account=account, scopes=frozenset(token.scope_list)
    )


class _GrantCache:
    """Valid grants by token digest, each with the raw database row it was built from.

    Why: compiling the ORM query costs ≈ 2 ms, ten times the database's work, on every
    API call. Each call still reads the row (token, user, accounts, application: every
    column validity depends on) with SQL compiled once per process; the cached grant is
    used only if the row is identical, so a revocation, a suspension, a deactivation or a
    password change takes effect at the very next call. Tokens acting for an organisation
    are never cached (the manager role lives in another table). Each hit hands out fresh
    copies of the model instances, so a view changing one cannot affect another call.
    """

    SIZE = 20_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._grants: OrderedDict[str, tuple[tuple, Grant]] = OrderedDict()
        self._sql: dict[str, tuple[str, list, int, int]] = {}

    def row(self, hashed: str) -> tuple | None:
        """The token's row, minus `last_used_at` (which moves without changing validity:
        `_touch` records it hourly), or None for an unknown or revoked token."""
        alias = router.db_for_read(AccessToken)
        compiled = self._sql.get(alias)
        if compiled is None:
            marker = "\x00token-digest\x00"
            compiler = _token_query(marker).query.get_compiler(alias)
            sql, params = compiler.as_sql()
            fields = AccessToken._meta.concrete_fields
            used = fields.index(AccessToken._meta.get_field("last_used_at"))
            compiled = self._sql[alias] = (
                sql, list(params), list(params).index(marker),
                compiler.klass_info["select_fields"][used],
            )
        sql, params, slot, used_at = compiled
        params = list(params)
        params[slot] = hashed
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchone()
        if found is None:
            return None
        return (*found[:used_at], *found[used_at + 1:]), found[used_at]

    def get(self, hashed: str, row: tuple, last_used_at: Any) -> Grant | None:
        with self._lock:
            hit = self._grants.get(hashed)
            if hit is None or hit[0] != row:
                return None
            self._grants.move_to_end(hashed)
        grant = _copied(hit[1])
        grant.token.last_used_at = _as_datetime(last_used_at)
        return grant

    def put(self, hashed: str, row: tuple, grant: Grant) -> None:
        with self._lock:
            self._grants[hashed] = (row, _copied(grant))
            while len(self._grants) > self.SIZE:
                self._grants.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._grants.clear()


def _as_datetime(raw: Any) -> datetime | None:
    """A driver's datetime (SQLite: naive UTC text; PostgreSQL: aware) as Django gives it."""
    if isinstance(raw, str):
        raw = datetime.fromisoformat(raw)
    if raw is not None and timezone.is_naive(raw):
        raw = timezone.make_aware(raw, UTC)
    return raw


def _copied(grant: Grant) -> Grant:
    """The same grant with its own model instances (copies share no related object)."""
    user = copy.copy(grant.user)
    account = copy.copy(grant.account)
    user.account = account
    token = copy.copy(grant.token)
    token.user = user
    token.account = account
    token.application = copy.copy(grant.token.application)
    return Grant(token=token, user=user, account=account, scopes=grant.scopes)


GRANTS = _GrantCache()


def authenticate(secret: str) -> Grant | None:
    """The grant a presented token carries, or None if it is unknown or no longer valid.

    One query when the token's row has not changed since this process last validated it
    (see `_GrantCache`); otherwise the token with its user, account and application (one
    query, one more for a token acting as an organisation: the manager role is
    re-checked), then its row again, to cache the grant only if nothing changed meanwhile.
    """
    if not secret or len(secret) > 200:
        return None
    hashed = digest(secret)
    found = GRANTS.row(hashed)
    if found is None:
        return None
    row, last_used_at = found
    cached = GRANTS.get(hashed, row, last_used_at)
    if cached is not None:
        return cached
    grant = _full_authenticate(hashed)
    cacheable = (
        grant is not None and grant.user is not None and grant.account is not None
        and grant.token.account_id == grant.user.account_id
    )
    again = GRANTS.row(hashed) if cacheable else None
    if again is not None and again[0] == row:
        GRANTS.put(hashed, row, grant)
    return grant
