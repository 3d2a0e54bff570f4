"""Scopes in plain words, for the consent page and the Development settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

_TOP = {
    "read": _("Read everything your account can see: posts, timelines, notifications, "
              "lists, follows, bookmarks"),
    "write": _("Post, edit and delete in your name, follow, like, bookmark, upload media and "
               "change your profile"),
    "follow": _("See and change whom you follow, block and mute"),
    "push": _("Receive your notifications as push messages"),
    "profile": _("Know who you are (your public profile only)"),
    "admin:read": _("Read moderation data of the whole instance"),
    "admin:write": _("Take moderation actions on the whole instance"),
}
_AREAS = {
    "accounts": _("accounts and profile"), "blocks": _("blocked accounts"),
    "bookmarks": _("bookmarks"), "conversations": _("conversations"),
    "favourites": _("likes"), "filters": _("filters"), "follows": _("follows"),
    "lists": _("lists"), "media": _("media"), "mutes": _("muted accounts"),
    "notifications": _("notifications"), "reports": _("reports"), "search": _("search"),
    "statuses": _("posts"), "domain_allows": _("allowed domains"),
    "domain_blocks": _("blocked domains"), "ip_blocks": _("blocked addresses"),
    "email_domain_blocks": _("blocked e-mail domains"),
    "canonical_email_blocks": _("blocked e-mail addresses"),
}


def describe(scope: str) -> str:
    """`read:statuses` → "Read: posts"; top-level scopes get a sentence."""
    if scope in _TOP:
        return str(_TOP[scope])
    *kind, area = scope.split(":")
    label = str(_AREAS.get(area, area))
    if kind == ["read"]:
        return str(_("Read your %(area)s") % {"area": label})
    if kind == ["write"]:
        return str(_("Change your %(area)s") % {"area": label})
    if kind == ["admin", "read"]:
        return str(_("Read the instance's %(area)s (moderation)") % {"area": label})
    return str(_("Change the instance's %(area)s (moderation)") % {"area": label})


def described(scopes: list[str]) -> list[tuple[str, str]]:
    return [(scope, describe(scope)) for scope in scopes]
