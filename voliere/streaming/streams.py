"""Stream names, as the Mastodon streaming API spells them, and what each needs.

A client subscribes to streams (`user`, `public:local`, `hashtag` with a tag…): over SSE
one per request (the path names it), over WebSocket as many as it likes. The web UI
uses its own `web` stream (home timeline hints and the unread badge).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput

USER = "user"
USER_NOTIFICATION = "user:notification"
PUBLIC = "public"
PUBLIC_LOCAL = "public:local"
PUBLIC_REMOTE = "public:remote"
HASHTAG = "hashtag"
HASHTAG_LOCAL = "hashtag:local"
WEB = "web"

PUBLIC_STREAMS = frozenset({PUBLIC, PUBLIC_LOCAL})
HASHTAG_STREAMS = frozenset({HASHTAG, HASHTAG_LOCAL})
# Every account is local (no federation yet): `public:remote` is accepted and stays quiet.
KNOWN = frozenset({USER, USER_NOTIFICATION, PUBLIC, PUBLIC_LOCAL, PUBLIC_REMOTE, HASHTAG,
                   HASHTAG_LOCAL})

# SSE paths under /api/v1/streaming/ and the stream each one opens.
SSE_PATHS = {
    "user": USER,
    "user/notification": USER_NOTIFICATION,
    "public": PUBLIC,
    "public/local": PUBLIC_LOCAL,
    "public/remote": PUBLIC_REMOTE,
    "hashtag": HASHTAG,
    "hashtag/local": HASHTAG_LOCAL,
}

# Mastodon's documented scopes, any one sufficing (`read` includes both).
_STATUS_SCOPE = "read:statuses"
_NOTIFICATION_SCOPE = "read:notifications"


@dataclass(frozen=True)
class Subscription:
    """One stream a connection listens to; `tag` only for hashtag streams (case-folded)."""

    stream: str
    tag: str = ""

    def label(self) -> list[str]:
        """The `stream` array Mastodon puts on each WebSocket message."""
        return [self.stream, self.tag] if self.tag else [self.stream]

    @property
    def wants_statuses(self) -> bool:
        return self.stream not in (USER_NOTIFICATION,)

    @property
    def wants_notifications(self) -> bool:
        return self.stream in (USER, USER_NOTIFICATION, WEB)


def parse_subscription(stream: str | None, tag: str | None = None) -> Subscription:
    """A validated subscription, or InvalidInput naming what is wrong."""
    stream = (stream or "").strip()
    if stream not in KNOWN:
        raise InvalidInput(
            _("Unknown stream %(stream)r; expected one of: %(known)s.")
            % {"stream": stream, "known": ", ".join(sorted(KNOWN))},
            field="stream",
        )
    if stream in HASHTAG_STREAMS:
        tag = (tag or "").strip().lstrip("#").casefold()
        if not tag or len(tag) > 100:
            raise InvalidInput(_("A hashtag stream needs a tag parameter."), field="tag")
        return Subscription(stream, tag)
    return Subscription(stream)


def missing_scope(subscription: Subscription, scopes: frozenset[str]) -> str | None:
    """The scope to ask for if `scopes` does not allow `subscription`, else None."""
    from voliere.oauth import scopes as scope_rules

    needed = _NOTIFICATION_SCOPE if subscription.stream == USER_NOTIFICATION else _STATUS_SCOPE
    return None if scope_rules.grants(scopes, needed) else needed
