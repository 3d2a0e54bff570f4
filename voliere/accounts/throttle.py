"""Login throttling: at most `settings.LOGIN_ATTEMPTS` failures per identifier and per
client address in a fixed window of 15 minutes, counted in Django's cache.

Both counters are checked before the password is, so once over the limit even the right
password is refused until the window ends. A successful login clears only the counter of
the identifier that signed in: the address counter is shared with others and an attacker
must not be able to reset it by logging into their own account.
"""

from __future__ import annotations

import hashlib

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


def is_locked_out(request: HttpRequest, identifier: str) -> bool:
    counts = cache.get_many(_keys(request, identifier)).values()
    return any(count >= settings.LOGIN_ATTEMPTS for count in counts)


def record_failure(request: HttpRequest, identifier: str) -> None:
    for key in _keys(request, identifier):
        # add() starts the window; incr() keeps the key's original expiry.
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, WINDOW_SECONDS)


def record_success(identifier: str) -> None:
    identifier_key = _identifier_key(identifier)
    if identifier_key:
        cache.delete(identifier_key)
