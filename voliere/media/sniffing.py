"""What an uploaded file really is, from its bytes: never from its name or the client's
declared content type.

`sniff(upload)` answers a `Sniffed` (kind, served content type, extension) for the
accepted types, and raises `Refused` with a description of what the bytes look like for
anything else. Binary types are recognised by their magic bytes (`filetype`, plus GLB and
binary STL, which it does not know); ZIP-based office documents are confirmed by their
archive's entries (and refused when they carry macros); the text-based 3D formats (OBJ,
ASCII STL) are checked line by line over the whole file, so HTML, SVG or a script renamed
`.obj` or `.jpg` is refused.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass

import filetype
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voliere.media.models import MediaKind

HEADER_BYTES = 8192


class Refused(Exception):  # noqa: N818 — a verdict, not a programming error
    """The file is not an accepted kind; `looks_like` says what it seems to be instead."""

    def __init__(self, looks_like: str) -> None:
        super().__init__(looks_like)
        self.looks_like = looks_like


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: str
    content_type: str
    extension: str


IMAGES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/apng": "png",
    "image/gif": "gif",
    "image/webp": "webp",
}
VIDEOS = {"video/mp4": "mp4", "video/x-m4v": "mp4", "video/webm": "webm"}
OOXML = {
    "word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
ZIP_TYPES = {"application/zip", "application/epub+zip", *OPENDOCUMENT} | {
    content_type for content_type, _ext in OOXML.values()
}

# What refused bytes look like, for the error message.
LOOKS_LIKE = {
    "application/x-msdownload": gettext_lazy("a Windows program"),
    "application/x-executable": gettext_lazy("an executable program"),
    "application/x-sharedlib": gettext_lazy("an executable program"),
    "application/x-mach-binary": gettext_lazy("an executable program"),
    "application/zip": gettext_lazy("a ZIP archive"),
    "application/wasm": gettext_lazy("a WebAssembly program"),
}
ACCEPTED = gettext_lazy(
    "Accepted: JPEG, PNG, GIF and WebP images; MP4 and WebM videos; PDF, Word, Excel, "
    "PowerPoint and OpenDocument files; STL, GLB and OBJ 3D models."
)


def sniff(upload: File) -> Sniffed:
    """The accepted type of `upload` (a non-empty file), or `Refused`."""
    upload.seek(0)
    header = upload.read(HEADER_BYTES)
    upload.seek(0)
    guess = filetype.guess(header)
    mime = guess.mime if guess is not None else None
    if mime in IMAGES:
        return Sniffed(MediaKind.IMAGE, "image/png" if mime == "image/apng" else mime, IMAGES[mime])
    if mime in VIDEOS:
        return Sniffed(
            MediaKind.VIDEO, "video/mp4" if VIDEOS[mime] == "mp4" else mime, VIDEOS[mime]
        )
    if mime == "application/pdf":
        return Sniffed(MediaKind.FILE, mime, "pdf")
    if mime in ZIP_TYPES or header.startswith(b"PK\x03\x04"):
        return _office_document(upload)
    if mime is not None:
        raise Refused(str(LOOKS_LIKE.get(mime, _("a %(type)s file") % {"type": mime})))
    found = _glb(header, upload.size) or _binary_stl(header, upload.size)
    if found is not None:
        return found
    return _text_model(upload, header)


def _office_document(upload: File) -> Sniffed:
    """A Word/Excel/PowerPoint (OOXML) or OpenDocument file, judged by its entries."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise Refused(_("an office document with macros"))
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in OPENDOCUMENT:
                    return Sniffed(MediaKind.FILE, declared, OPENDOCUMENT[declared])
            if "[Content_Types].xml" in names:
                for entry, (content_type, extension) in OOXML.items():
                    if entry in names:
                        return Sniffed(MediaKind.FILE, content_type, extension)
    except (zipfile.BadZipFile, OSError, EOFError, KeyError) as error:
        raise Refused(_("a damaged ZIP archive")) from error
    finally:
        upload.seek(0)
    raise Refused(_("a ZIP archive"))


def _glb(header: bytes, size: int) -> Sniffed | None:
    """Binary glTF 2: magic, version 2, and a declared length equal to the file's."""
    if len(header) >= 12 and header[:4] == b"glTF":
        version, length = struct.unpack_from("<II", header, 4)
        if version == 2 and length == size:
            return Sniffed(MediaKind.FILE, "model/gltf-binary", "glb")
    return None


def _binary_stl(header: bytes, size: int) -> Sniffed | None:
    """Binary STL: an 80-byte header, a triangle count, and exactly 50 bytes per triangle."""
    if len(header) >= 84 and not header[:5].lower().startswith(b"solid"):
        (triangles,) = struct.unpack_from("<I", header, 80)
        if triangles > 0 and size == 84 + 50 * triangles:
            return Sniffed(MediaKind.FILE, "model/stl", "stl")
    return None


_MARKUP = re.compile(rb"<\s*/?\s*(script|html|body|iframe|svg|object|embed|\?xml|!doctype)", re.I)
_NUMBER = re.compile(rb"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_STL_KEYWORDS = {b"facet", b"outer", b"vertex", b"endloop", b"endfacet", b"endsolid"}
_OBJ_KEYWORDS = {
    b"v", b"vt", b"vn", b"vp", b"f", b"l", b"p", b"o", b"g", b"s", b"mtllib", b"usemtl",
    b"cstype", b"deg", b"curv", b"curv2", b"surf", b"parm", b"end", b"mg", b"bevel",
    b"c_interp", b"d_interp", b"lod", b"shadow_obj", b"trace_obj", b"ctech", b"stech",
    b"hole", b"scrv", b"sp", b"con", b"bmat", b"step", b"call", b"csh",
}  # fmt: skip


def _text_model(upload: File, header: bytes) -> Sniffed:
    """An OBJ or ASCII STL model: every line of the whole file must fit the format, and
    no line may hold markup (`<`), so no text that a browser could run passes."""
    if b"\x00" in header:
        raise Refused(_("an unknown binary file"))
    is_stl = header.lstrip().lower().startswith(b"solid")
    vertices = 0
    for number, raw in enumerate(upload, start=1):
        line = raw.strip()
        if not line or line.startswith(b"#"):
            continue
        if b"<" in line or b"\x00" in line:
            raise Refused(_describe_text(header))
        first = line.split(None, 1)[0].lower()
        if is_stl:
            ok = (number == 1 and first == b"solid") or first in _STL_KEYWORDS
            ok = ok or (first == b"vertex" and all(_NUMBER.match(t) for t in line.split()[1:]))
        else:
            ok = first in _OBJ_KEYWORDS
        if not ok:
            upload.seek(0)
            raise Refused(_describe_text(header))
        vertices += first in (b"v", b"vertex")
    upload.seek(0)
    if vertices == 0:
        raise Refused(_describe_text(header))
    if is_stl:
        return Sniffed(MediaKind.FILE, "model/stl", "stl")
    return Sniffed(MediaKind.FILE, "model/obj", "obj")


def _describe_text(header: bytes) -> str:
    start = header.lstrip()[:200].lower()
    if start.startswith(b"#!"):
        return _("a script")
    if b"<svg" in start:
        return _("an SVG image (SVG can carry scripts)")
    if start.startswith(b"<") or _MARKUP.search(header):
        return _("HTML or XML text")
    try:
        header.decode("utf-8")
    except UnicodeDecodeError:
        return _("an unknown binary file")
    return _("plain text")
