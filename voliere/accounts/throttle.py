"""Rate limits counted in Django's cache (the database cache in production).

Login: at most `settings.LOGIN_ATTEMPTS` failures per identifier and per client address
in a fixed window of 15 minutes. Password-reset e-mails: a few per address and per
client address an hour.

Each counter stores its count with the start of its window and is written back with the
time left in that window: the database cache's `incr()` would reset the expiry to the
default timeout on every write, turning a 15-minute lock into a 5-minute one.

Both counters are checked before the password is, so once over the limit even the right
password is refused until the window ends. A successful login clears only the counter of
the identifier that signed in: the address counter is shared with others and an attacker
must not be able to reset it by logging into their own account.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from voliere.accounts.auth import find_user

WINDOW_SECONDS = 15 * 60


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"voliere:login:{kind}:{digest}"


def client_address(request: HttpRequest) -> str:
    """The peer address. Forwarded headers are not trusted: a proxy must set REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _identifier_key(identifier: str) -> str | None:
    """One counter per account whichever identifier (e-mail or handle) names it; unknown
    identifiers get their own counter so probing them is throttled too."""
    user = find_user(identifier)
    if user is not None:
        return _key("user", str(user.pk))
    normalized = identifier.strip().lstrip("@")
    return _key("id", normalized) if normalized else None


def _keys(request: HttpRequest, identifier: str) -> list[str]:
    keys = [_key("ip", client_address(request))]
    identifier_key = _identifier_key(identifier)
    if identifier_key:
        keys.append(identifier_key)
    return keys


def _count(value: object) -> int:
    return value[0] if isinstance(value, tuple) else 0


def _bump(key: str, window: int) -> int:
    """Add one to the counter `key` (fixed window of `window` seconds); returns the count."""
    now = time.time()
    count, started = cache.get(key) or (0, now)
    if now - started >= window:
        count, started = 0, now
    count += 1
    cache.set(key, (count, started), max(1, int(started + window - now)))
    return count


def is_locked_out(request: HttpRequest, identifier: str) -> bool:
    counts = cache.get_many(_keys(request, identifier)).values()
    return any(_count(value) >= settings.LOGIN_ATTEMPTS for value in counts)


def record_failure(request: HttpRequest, identifier: str) -> None:
    for key in _keys(request, identifier):
        _bump(key, WINDOW_SECONDS)


def record_success(identifier: str) -> None:
    identifier_key = _identifier_key(identifier)
    if identifier_key:
        cache.delete(identifier_key)


RESET_WINDOW_SECONDS = 60 * 60
RESETS_PER_ADDRESS = 3
RESETS_PER_CLIENT = 20


def allow_password_reset(request: HttpRequest, email: str) -> bool:
    """Count a reset request; False once this e-mail or this client asked too often."""
    per_email = _bump(_key("reset-email", email), RESET_WINDOW_SECONDS)
    per_client = _bump(_key("reset-ip", client_address(request)), RESET_WINDOW_SECONDS)
    return per_email <= RESETS_PER_ADDRESS and per_client <= RESETS_PER_CLIENT
