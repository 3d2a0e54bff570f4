"""OAuth scopes, as Mastodon defines them.

Top-level scopes grant every granular scope under them: `read` grants `read:statuses`,
`admin:read` grants `admin:read:accounts`. `follow` is Mastodon's deprecated bundle of
`read:follows write:follows read:blocks write:blocks read:mutes write:mutes`. `profile`
only lets an app read who the user is (`GET /api/v1/accounts/verify_credentials`).
`push` is for Web Push subscriptions.

Scopes travel as one space-separated string (`"read write:statuses"`), in requests and in
the database. An endpoint names the scopes that let a token in (any one suffices, parents
included): `required_any(("read:statuses",))` is satisfied by `read` or `read:statuses`.
"""

from __future__ import annotations

from collections.abc import Iterable

READ_SUBSCOPES = (
    "accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes",
    "notifications", "search", "statuses",
)
WRITE_SUBSCOPES = (
    "accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows",
    "lists", "media", "mutes", "notifications", "reports", "statuses",
)
ADMIN_SUBSCOPES = (
    "accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks",
    "email_domain_blocks", "canonical_email_blocks",
)
TOP_LEVEL = ("read", "write", "follow", "push", "profile", "admin:read", "admin:write")
FOLLOW_BUNDLE = frozenset({
    "read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes",
})
ALL_SCOPES: frozenset[str] = frozenset(
    [*TOP_LEVEL]
    + [f"read:{name}" for name in READ_SUBSCOPES]
    + [f"write:{name}" for name in WRITE_SUBSCOPES]
    + [f"admin:read:{name}" for name in ADMIN_SUBSCOPES]
    + [f"admin:write:{name}" for name in ADMIN_SUBSCOPES]
)
DEFAULT_SCOPES = "read"
# Scopes that only an instance's moderators and administrators may hold.
ADMIN_PREFIX = "admin:"


class ScopeError(ValueError):
    """A scope string names something that is not a scope. `scope` is the culprit."""

    def __init__(self, scope: str) -> None:
        super().__init__(f"Unknown scope: {scope}")
        self.scope = scope


def parse(raw: str | Iterable[str] | None, *, default: str = DEFAULT_SCOPES) -> list[str]:
    """Split, deduplicate (keeping order) and validate a scope string or list.

    Empty or missing means `default`. Raises ScopeError naming the first unknown scope.
    Mastodon clients send scopes space-separated; `+` (an un-decoded space) and commas are
    accepted too.
    """
    if raw is None:
        items: list[str] = []
    elif isinstance(raw, str):
        items = raw.replace("+", " ").replace(",", " ").split()
    else:
        items = [part for item in raw for part in str(item).split()]
    if not items:
        items = default.split()
    result: list[str] = []
    for scope in items:
        if scope not in ALL_SCOPES:
            raise ScopeError(scope)
        if scope not in result:
            result.append(scope)
    return result


def to_string(scopes: Iterable[str]) -> str:
    return " ".join(scopes)


def _parents(scope: str) -> list[str]:
    """The broader scopes that include `scope`, itself first."""
    parents = [scope]
    if scope.startswith(ADMIN_PREFIX):
        parts = scope.split(":")
        if len(parts) == 3:
            parents.append(f"admin:{parts[1]}")
    elif ":" in scope:
        parents.append(scope.split(":", 1)[0])
    if scope in FOLLOW_BUNDLE:
        parents.append("follow")
    return parents


def grants(granted: Iterable[str], scope: str) -> bool:
    """True when a token holding `granted` may do what needs `scope`."""
    held = set(granted)
    return any(parent in held for parent in _parents(scope))


def grants_any(granted: Iterable[str], required: Iterable[str]) -> bool:
    held = set(granted)
    return any(grants(held, scope) for scope in required)


def within(requested: Iterable[str], allowed: Iterable[str]) -> bool:
    """True when every requested scope is granted by `allowed` (an app's registered
    scopes bound what its tokens may ask for; `follow` is only within `follow`)."""
    allowed = set(allowed)
    return all(grants(allowed, scope) for scope in requested)


def needs_staff(scopes: Iterable[str]) -> bool:
    return any(scope.startswith(ADMIN_PREFIX) for scope in scopes)
