"""Profile images: validate an upload with Pillow and re-encode it, dropping metadata.

Only the decoded pixels survive: re-encoding removes EXIF (camera, GPS), comments and
anything smuggled after the image data. Non-images, truncated files, oversized files and
decompression bombs are refused with an InvalidInput naming the form field.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError, features

from voliere.core.exceptions import InvalidInput

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Well under Pillow's own bomb limit: a 40-megapixel photo is the largest we decode.
MAX_PIXELS = 40_000_000
AVATAR_SIZE = (400, 400)
HEADER_MAX = (1500, 500)


@dataclass(frozen=True, slots=True)
class EncodedImage:
    content: ContentFile
    extension: str


def _decode(upload: UploadedFile, field: str) -> Image.Image:
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            _("This image is too large (at most %(mb)s MB).")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            field=field,
        )
    data = upload.read()
    refused = InvalidInput(
        _("This file is not a valid image (PNG, JPEG, GIF or WebP)."), field=field
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in {"PNG", "JPEG", "GIF", "WEBP"}:
                    raise refused
                if probe.width * probe.height > MAX_PIXELS:
                    raise InvalidInput(_("This image has too many pixels."), field=field)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()  # decodes every pixel: truncated data fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(_("This image has too many pixels."), field=field) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise refused from None
    return image


def _encode(image: Image.Image) -> EncodedImage:
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    clean = Image.new(image.mode, image.size)  # a fresh image carries no metadata at all
    clean.paste(image)
    buffer = io.BytesIO()
    if features.check("webp"):
        clean.save(buffer, format="WEBP", quality=85, method=4)
        extension = "webp"
    else:
        clean.save(buffer, format="PNG", optimize=True)
        extension = "png"
    return EncodedImage(content=ContentFile(buffer.getvalue()), extension=extension)


def encode_avatar(upload: UploadedFile, *, field: str = "avatar") -> EncodedImage:
    """A square 400×400 crop around the centre."""
    image = _decode(upload, field)
    image = ImageOps.fit(ImageOps.exif_transpose(image), AVATAR_SIZE)
    return _encode(image)


def encode_header(upload: UploadedFile, *, field: str = "header") -> EncodedImage:
    """Scaled down (never up) to fit in 1500×500, keeping its proportions."""
    image = ImageOps.exif_transpose(_decode(upload, field))
    image.thumbnail(HEADER_MAX)
    return _encode(image)
