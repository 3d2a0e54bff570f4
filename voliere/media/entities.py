"""Mastodon's MediaAttachment entity (https://docs.joinmastodon.org/entities/MediaAttachment/)
for one attachment. Used by the media API and by statuses' `media_attachments`.

Volière's kinds map to Mastodon's types: image → `image`, video → `video`, any other file
→ `unknown` (clients then show a link). Videos are not transcoded and get no preview
image: `preview_url` is null for them, as for files. `blurhash` is null (optional in the
entity); `meta.focus` carries the focal point.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from voliere.media.models import MediaAttachment, MediaKind

MASTODON_TYPES = {MediaKind.IMAGE: "image", MediaKind.VIDEO: "video", MediaKind.FILE: "unknown"}


def _dimensions(width: int | None, height: int | None) -> dict[str, Any] | None:
    if not width or not height:
        return None
    return {
        "width": width,
        "height": height,
        "size": f"{width}x{height}",
        "aspect": round(width / height, 6),
    }


def media_attachment_json(attachment: MediaAttachment, request: HttpRequest) -> dict[str, Any]:
    """The entity, with absolute URLs built from `request`."""
    url = request.build_absolute_uri(attachment.get_absolute_url())
    preview = attachment.thumbnail_url
    meta: dict[str, Any] = {}
    original = _dimensions(attachment.width, attachment.height)
    if original:
        meta["original"] = original
    small = _dimensions(attachment.thumbnail_width, attachment.thumbnail_height)
    if small:
        meta["small"] = small
    if attachment.kind == MediaKind.IMAGE:
        meta["focus"] = {"x": attachment.focus_x, "y": attachment.focus_y}
    return {
        "id": str(attachment.id),
        "type": MASTODON_TYPES.get(attachment.kind, "unknown"),
        "url": url,
        "preview_url": request.build_absolute_uri(preview) if preview else None,
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": meta,
        "description": attachment.description or None,
        "blurhash": None,
    }
