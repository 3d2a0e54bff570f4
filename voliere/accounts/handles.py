"""Handle rules: 1–30 letters, digits or underscores; case-insensitive; some names reserved."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput

HANDLE_PATTERN = re.compile(r"^[A-Za-z0-9_]{1,30}$")

# Names that would impersonate the instance or collide with paths and roles.
RESERVED_HANDLES = frozenset(
    """
    about abuse account accounts admin administrator api app apps auth bookmarks community
    communities contact dashboard demo explore federation help home hashtag hashtags healthz
    inbox info instance likes login logout me media moderator moderators noreply no_reply
    notifications oauth official organisation organization outbox post postmaster posts
    privacy root search security settings signup static staff status statuses support
    system tags terms timeline timelines user users voliere webmaster well_known www
    """.split()
)


def validate_handle(handle: str) -> str:
    """Return the handle stripped of a leading "@"; raise InvalidInput saying what is wrong."""
    handle = handle.strip().lstrip("@")
    if not handle:
        raise InvalidInput(_("A handle is required."), field="handle")
    if len(handle) > 30:
        raise InvalidInput(_("A handle has at most 30 characters."), field="handle")
    if not HANDLE_PATTERN.match(handle):
        raise InvalidInput(
            _("A handle may only contain letters, digits and underscores (_)."), field="handle"
        )
    if handle.lower() in RESERVED_HANDLES:
        raise InvalidInput(_("This handle is reserved."), field="handle")
    return handle
