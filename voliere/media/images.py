"""Re-encoding uploaded images with Pillow: the stored file is Volière's own output, never
the uploaded bytes.

Re-encoding throws away whatever else the file carried (EXIF with GPS positions and
camera serials, XMP, comments, trailing data, a script appended to a JPEG); the EXIF
orientation is applied to the pixels first so the picture stays upright. Decoding is
bounded: the declared size (width × height × frames) is checked against
`MEDIA_IMAGE_MAX_PIXELS` before any pixel is decoded, and Pillow's own bomb check is
turned into an error; a truncated or corrupt file fails to decode and is refused.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

THUMBNAIL_SIZE = (640, 640)
# Pillow's formats for the sniffed content types (the sniffer already checked the bytes).
FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}
MAX_FRAMES = 500


class BrokenImage(Exception):  # noqa: N818 — a verdict about the input
    """The image cannot be accepted; the message says why, for the person uploading."""


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    data: bytes
    width: int
    height: int
    thumbnail: bytes
    thumbnail_content_type: str
    thumbnail_extension: str
    thumbnail_width: int
    thumbnail_height: int


def process_image(upload: File, content_type: str) -> ProcessedImage:
    """Decode `upload` (already sniffed as `content_type`), and re-encode it and a
    thumbnail of at most 640×640; raises `BrokenImage`."""
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[FORMATS[content_type]]) as image:
                frames = getattr(image, "n_frames", 1)
                _check_pixels(image.width, image.height, frames)
                if frames > 1:
                    data = _reencode_animation(image, content_type)
                    image.seek(0)
                    first = image.convert("RGBA")
                else:
                    image.load()
                    first = ImageOps.exif_transpose(image)
                    data = _reencode(first, content_type)
                thumbnail = _thumbnail(first)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise BrokenImage(_too_many_pixels()) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise BrokenImage(
            _("the image is damaged or incomplete (%(detail)s)") % {"detail": _short(error)}
        ) from error
    finally:
        upload.seek(0)
    width, height = first.size
    return ProcessedImage(
        data=data,
        width=width,
        height=height,
        thumbnail=thumbnail[0],
        thumbnail_content_type=thumbnail[1],
        thumbnail_extension=thumbnail[2],
        thumbnail_width=thumbnail[3],
        thumbnail_height=thumbnail[4],
    )


def _check_pixels(width: int, height: int, frames: int) -> None:
    limit = settings.MEDIA_IMAGE_MAX_PIXELS
    # Pillow refuses on its own beyond twice its limit; keep its limit at least ours.
    Image.MAX_IMAGE_PIXELS = max(limit, Image.MAX_IMAGE_PIXELS or 0)
    if width <= 0 or height <= 0 or frames > MAX_FRAMES or width * height * frames > limit:
        raise BrokenImage(_too_many_pixels())


def _too_many_pixels() -> str:
    return _("the image is too large to decode safely (at most %(limit)s million pixels)") % {
        "limit": f"{settings.MEDIA_IMAGE_MAX_PIXELS / 1_000_000:g}"
    }


def _short(error: BaseException) -> str:
    return (str(error) or type(error).__name__)[:120]


def _reencode(image: Image.Image, content_type: str) -> bytes:
    """The pixels in the same format, without metadata (no `exif=`, no text chunks)."""
    out = io.BytesIO()
    fmt = FORMATS[content_type]
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=88)
    elif fmt == "PNG":
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    elif fmt == "GIF":
        image.save(out, "GIF")
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, "WEBP", quality=88)
    return out.getvalue()


def _reencode_animation(image: Image.Image, content_type: str) -> bytes:
    """An animated GIF or WebP, re-encoded frame by frame (durations and loop kept)."""
    frames = []
    durations = []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(image.convert("RGBA"))
        durations.append(image.info.get("duration", 100))
    out = io.BytesIO()
    fmt = FORMATS[content_type]
    options = {"disposal": 2} if fmt == "GIF" else {}
    frames[0].save(
        out,
        fmt,
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=image.info.get("loop", 0),
        **options,
    )
    return out.getvalue()


def _thumbnail(image: Image.Image) -> tuple[bytes, str, str, int, int]:
    """A WebP (or JPEG/PNG without WebP support) of at most `THUMBNAIL_SIZE`."""
    thumb = image.copy()
    thumb.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    has_alpha = thumb.mode in ("RGBA", "LA", "PA") or "transparency" in thumb.info
    out = io.BytesIO()
    if _webp_available():
        thumb = thumb.convert("RGBA" if has_alpha else "RGB")
        thumb.save(out, "WEBP", quality=80)
        return out.getvalue(), "image/webp", "webp", thumb.width, thumb.height
    if has_alpha:
        thumb = thumb.convert("RGBA")
        thumb.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png", "png", thumb.width, thumb.height
    thumb = thumb.convert("RGB")
    thumb.save(out, "JPEG", quality=80)
    return out.getvalue(), "image/jpeg", "jpg", thumb.width, thumb.height


def _webp_available() -> bool:
    from PIL import features

    return bool(features.check("webp"))
