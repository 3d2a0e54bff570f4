"""The instance as Mastodon clients read it: `/api/v1/instance`, `/api/v2/instance`,
nodeinfo 2.0, and the signed-in user's preferences.

`version` reads "4.3.0 (compatible; Volière 0.1.0)": clients (Mastodon.py, toot) parse the
leading Mastodon version to decide which features to use; Volière implements the 4.3 API.
Limits come from the settings that enforce them (post length, media sizes), so clients
never offer what the server would refuse.
"""

from __future__ import annotations

from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.actions import instance_organisation
from voliere.accounts.models import Account, User
from voliere.posts.models import Post

MASTODON_API_VERSION = "4.3.0"
LANGUAGES = ["fr", "en"]
SOURCE_URL = "https://github.com/voliere/voliere"
SUPPORTED_MIME_TYPES = [
    "image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/webm",
    "application/pdf",
]
# Mastodon's defaults, until Volière's polls declare their own limits.
POLL_LIMITS = {
    "max_options": 4,
    "max_characters_per_option": 50,
    "min_expiration": 300,
    "max_expiration": 2_629_746,
}
MAX_MEDIA_ATTACHMENTS = 4
MAX_PINNED_STATUSES = 5
STATS_CACHE_KEY = "voliere:mastodon:instance-stats"
STATS_TTL = 300


def voliere_version() -> str:
    try:
        return version("voliere")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0.1.0"


def version_string() -> str:
    return f"{MASTODON_API_VERSION} (compatible; Volière {voliere_version()})"


def _domain(request: HttpRequest) -> str:
    return request.get_host()


def _streaming_url(request: HttpRequest) -> str:
    return f"{'wss' if request.is_secure() else 'ws'}://{_domain(request)}"


def _contact_account(request: HttpRequest) -> dict[str, Any] | None:
    account = instance_organisation()
    if account is None or account.is_suspended:
        account = (
            Account.objects.active()
            .filter(user__role="admin", user__is_active=True)
            .order_by("id")
            .first()
        )
    if account is None:
        return None
    from voliere.mastodon import entities

    return entities.account_json(account, request)


def _contact_email() -> str:
    admin = User.objects.filter(role="admin", is_active=True).order_by("id").first()
    return admin.email if admin else ""


def _registrations() -> dict[str, Any]:
    mode = settings.SIGNUP_MODE
    messages = {
        "open": None,
        "invite": _("Sign-up needs an invitation code from a member."),
        "domain": _("Only e-mail addresses of %(domains)s can sign up.")
        % {"domains": ", ".join(settings.SIGNUP_DOMAINS) or "—"},
    }
    return {
        "enabled": mode != "invite",
        "approval_required": False,
        "invites_enabled": mode == "invite",
        "message": messages[mode],
    }


def _configuration() -> dict[str, Any]:
    return {
        "accounts": {"max_featured_tags": 10, "max_pinned_statuses": MAX_PINNED_STATUSES},
        "statuses": {
            "max_characters": settings.POST_MAX_CHARS,
            "max_media_attachments": MAX_MEDIA_ATTACHMENTS,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "supported_mime_types": SUPPORTED_MIME_TYPES,
            "description_limit": getattr(settings, "MEDIA_DESCRIPTION_MAX_CHARS", 1500),
            "image_size_limit": getattr(settings, "MEDIA_IMAGE_MAX_BYTES", 16 * 1024 * 1024),
            "image_matrix_limit": getattr(settings, "MEDIA_IMAGE_MAX_PIXELS", 40_000_000),
            "video_size_limit": getattr(settings, "MEDIA_VIDEO_MAX_BYTES", 100 * 1024 * 1024),
            "video_frame_rate_limit": 60,
            "video_matrix_limit": 8_294_400,
        },
        "polls": dict(POLL_LIMITS),
    }


def _count_stats() -> dict[str, int]:
    since = timezone.now() - timedelta(days=30)
    return {
        "user_count": User.objects.filter(is_active=True, account__is_suspended=False).count(),
        "status_count": Post.objects.filter(deleted_at__isnull=True).count(),
        "domain_count": 0,
        "active_month": User.objects.filter(
            Q(last_seen_at__gte=since) | Q(date_joined__gte=since), is_active=True
        ).count(),
    }


def _stats() -> dict[str, int]:
    """Counts over whole tables (a million posts take tens of milliseconds to count) that
    every client reads when it starts: computed at most once per STATS_TTL seconds."""
    return cache.get_or_set(STATS_CACHE_KEY, _count_stats, STATS_TTL)


def _active_month() -> int:
    return _stats()["active_month"]


def _description() -> str:
    return _("%(name)s, the social network of its organisation, on Volière.") % {
        "name": settings.INSTANCE_NAME
    }


def instance_v1(request: HttpRequest) -> dict[str, Any]:
    registrations = _registrations()
    return {
        "uri": _domain(request),
        "title": settings.INSTANCE_NAME,
        "short_description": _description(),
        "description": _description(),
        "email": _contact_email(),
        "version": version_string(),
        "urls": {"streaming_api": _streaming_url(request)},
        "stats": {key: value for key, value in _stats().items() if key != "active_month"},
        "thumbnail": None,
        "languages": LANGUAGES,
        "registrations": registrations["enabled"],
        "approval_required": registrations["approval_required"],
        "invites_enabled": registrations["invites_enabled"],
        "configuration": _configuration(),
        "contact_account": _contact_account(request),
        "rules": [],
    }


def instance_v2(request: HttpRequest) -> dict[str, Any]:
    registrations = _registrations()
    configuration = _configuration()
    configuration["urls"] = {"streaming": _streaming_url(request), "status": None}
    configuration["vapid"] = {"public_key": ""}
    configuration["translation"] = {"enabled": False}
    return {
        "domain": _domain(request),
        "title": settings.INSTANCE_NAME,
        "version": version_string(),
        "source_url": SOURCE_URL,
        "description": _description(),
        "usage": {"users": {"active_month": _active_month()}},
        "thumbnail": {"url": request.build_absolute_uri("/static/voliere/instance-thumbnail.svg")},
        "icon": [],
        "languages": LANGUAGES,
        "configuration": configuration,
        "registrations": {
            "enabled": registrations["enabled"],
            "approval_required": registrations["approval_required"],
            "message": registrations["message"],
            "url": None,
        },
        "api_versions": {"mastodon": 2},
        "contact": {"email": _contact_email(), "account": _contact_account(request)},
        "rules": [],
    }


def nodeinfo(request: HttpRequest) -> dict[str, Any]:
    stats = _stats()
    return {
        "version": "2.0",
        "software": {"name": "voliere", "version": voliere_version()},
        "protocols": [],
        "services": {"outbound": [], "inbound": []},
        "usage": {
            "users": {"total": stats["user_count"], "activeMonth": _active_month()},
            "localPosts": stats["status_count"],
        },
        "openRegistrations": settings.SIGNUP_MODE == "open",
        "metadata": {"nodeName": settings.INSTANCE_NAME},
    }


def preferences(user: User, account: Account) -> dict[str, Any]:
    """Mastodon's preferences entity. Volière has no per-user posting defaults yet: posts
    default to public, media is shown unless marked sensitive, spoilers stay folded."""
    return {
        "posting:default:visibility": "public",
        "posting:default:sensitive": False,
        "posting:default:language": user.language or None,
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
    }
