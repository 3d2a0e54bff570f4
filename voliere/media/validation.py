"""Turning one upload into a `PreparedMedia`: sniffed, size-checked, re-encoded, with its
alt text checked; nothing is written anywhere yet.

Every refusal is an `InvalidInput` naming the form field and the file, saying what is
wrong (empty, too large for its kind, not an accepted type and what it looks like,
damaged image, decompression bomb, alt text too long).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voliere.core.exceptions import InvalidInput
from voliere.media.images import BrokenImage, ProcessedImage, process_image
from voliere.media.models import MediaKind
from voliere.media.sniffing import ACCEPTED, Refused, Sniffed, sniff


@dataclass(frozen=True, slots=True)
class PreparedMedia:
    """A validated upload, ready to be stored by `voliere.media.attach`."""

    kind: str
    content_type: str
    extension: str
    original_name: str
    size: int
    content: File | bytes
    description: str = ""
    focus: tuple[float, float] = (0.0, 0.0)
    image: ProcessedImage | None = None


def size_limit(kind: str) -> int:
    return {
        MediaKind.IMAGE: settings.MEDIA_IMAGE_MAX_BYTES,
        MediaKind.VIDEO: settings.MEDIA_VIDEO_MAX_BYTES,
        MediaKind.FILE: settings.MEDIA_FILE_MAX_BYTES,
    }[kind]


def human_size(size: int) -> str:
    """ "16.0 MB", "100 bytes": Django's localized file size."""
    return str(filesizeformat(size))


PLURAL_KINDS = {
    MediaKind.IMAGE: gettext_lazy("images"),
    MediaKind.VIDEO: gettext_lazy("videos"),
    MediaKind.FILE: gettext_lazy("files"),
}


def too_large_message(name: str, *, field: str) -> InvalidInput:
    """For an upload dropped while it streamed in (`voliere.media.uploads`)."""
    return InvalidInput(
        _("“%(name)s” is too large: uploads are limited to %(limit)s.")
        % {"name": name or _("The file"), "limit": human_size(_largest())},
        field=field,
    )


def _largest() -> int:
    return max(size_limit(kind) for kind in MediaKind.values)


def clean_description(description: str | None, *, field: str = "description") -> str:
    description = (description or "").replace("\x00", "").replace("\r\n", "\n").strip()
    limit = settings.MEDIA_DESCRIPTION_MAX_CHARS
    if len(description) > limit:
        raise InvalidInput(
            _("A description (alt text) has at most %(limit)s characters (this one has %(count)s).")
            % {"limit": limit, "count": len(description)},
            field=field,
        )
    return description


def clean_focus(focus: str | None, *, field: str = "focus") -> tuple[float, float]:
    """Mastodon's focal point, "x,y" with both in [-1, 1]."""
    if focus is None or str(focus).strip() == "":
        return (0.0, 0.0)
    try:
        x_raw, y_raw = str(focus).split(",")
        x, y = float(x_raw), float(y_raw)
    except ValueError:
        raise InvalidInput(_("A focal point is two numbers: x,y."), field=field) from None
    if not (-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0):
        raise InvalidInput(_("A focal point has x and y between -1 and 1."), field=field)
    return (x, y)


def clean_name(name: str | None, extension: str) -> str:
    """A display name for downloads: no directories, no control characters, at most 150
    characters, and the extension of the sniffed type (`report.exe` sniffed as a PDF
    downloads as `report.pdf`)."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip(" .")
    stem = os.path.splitext(base)[0][:150].strip(" .") or "file"
    return f"{stem}.{extension}"


def prepare_media(
    upload: File,
    *,
    description: str = "",
    focus: str | None = None,
    field: str = "file",
) -> PreparedMedia:
    """Validate and process one upload; raises InvalidInput(field=`field`)."""
    name = os.path.basename(getattr(upload, "name", "") or "") or _("The file")
    description = clean_description(description, field=f"{field}_description")
    point = clean_focus(focus, field=f"{field}_focus")
    size = upload.size or 0
    if size == 0:
        raise InvalidInput(_("“%(name)s” is empty.") % {"name": name}, field=field)
    try:
        sniffed: Sniffed = sniff(upload)
    except Refused as refused:
        raise InvalidInput(
            _("“%(name)s” cannot be attached: its content looks like %(what)s. %(accepted)s")
            % {"name": name, "what": refused.looks_like, "accepted": ACCEPTED},
            field=field,
        ) from None
    limit = size_limit(sniffed.kind)
    if size > limit:
        raise InvalidInput(
            _("“%(name)s” is too large: %(kind)s are limited to %(limit)s (this one is %(size)s).")
            % {
                "name": name,
                "kind": PLURAL_KINDS[sniffed.kind],
                "limit": human_size(limit),
                "size": human_size(size),
            },
            field=field,
        )
    image = None
    content: File | bytes = upload
    if sniffed.kind == MediaKind.IMAGE:
        try:
            image = process_image(upload, sniffed.content_type)
        except BrokenImage as error:
            raise InvalidInput(
                _("“%(name)s” cannot be attached: %(reason)s.") % {"name": name, "reason": error},
                field=field,
            ) from None
        content = image.data
        size = len(image.data)
    return PreparedMedia(
        kind=sniffed.kind,
        content_type=sniffed.content_type,
        extension=sniffed.extension,
        original_name=clean_name(getattr(upload, "name", ""), sniffed.extension),
        size=size,
        content=content,
        description=description,
        focus=point,
        image=image,
    )
