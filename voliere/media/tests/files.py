"""Real files for the media tests, made in memory: valid ones of every accepted kind, and
broken or disguised ones. Nothing is read from disk or the network."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size: tuple[int, int] = (40, 20), *, orientation: int = 1) -> bytes:
    """A JPEG carrying GPS coordinates, a camera model and an orientation in its EXIF."""
    image = Image.new("RGB", size, (200, 30, 30))
    # Left half dark so the orientation can be checked on the pixels.
    image.paste((10, 10, 10), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x0110] = "Secret Camera 3000"  # Model
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 29.0)
    gps[3] = "E"
    gps[4] = (2.0, 17.0, 40.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (20, 120, 200) if mode == "RGB" else 128).save(out, fmt)
    return out.getvalue()


def animated_gif(frames: int = 3) -> bytes:
    images = [Image.new("P", (32, 32), color) for color in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=80, loop=0)
    return out.getvalue()


def png_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A tiny PNG whose header declares `width`×`height` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (width + 1) * 4)  # a few rows; the rest "would follow"
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def mp4() -> bytes:
    """The start of an MP4 file (an `ftyp` box, then an empty `mdat`)."""
    ftyp = b"ftypisom" + b"\x00\x00\x02\x00" + b"isomiso2avc1mp41"
    box = struct.pack(">I", 8 + len(ftyp) - 4) + ftyp
    return box + struct.pack(">I", 8 + 4000) + b"mdat" + bytes(range(256)) * 15 + b"\x00" * 160


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def windows_exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00" * 8


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


def office(kind: str = "docx", *, macros: bool = False) -> bytes:
    main = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(main[kind], "<document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 64)
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


def binary_stl(triangles: int = 2) -> bytes:
    header = b"binary stl made by a test".ljust(80, b" ")
    facet = struct.pack("<12fH", *([0.0] * 12), 0)
    return header + struct.pack("<I", triangles) + facet * triangles


def ascii_stl() -> bytes:
    return (
        b"solid cube\n facet normal 0 0 1\n  outer loop\n   vertex 0 0 0\n   vertex 1 0 0\n"
        b"   vertex 0 1 0\n  endloop\n endfacet\nendsolid cube\n"
    )


def obj() -> bytes:
    return b"# a triangle\no tri\nv 0 0 0\nv 1 0 0\nv 0 1 0\nvn 0 0 1\nf 1 2 3\n"


def glb() -> bytes:
    body = b'{"asset":{"version":"2.0"}}  '
    chunk = struct.pack("<II", len(body), 0x4E4F534A) + body
    total = 12 + len(chunk)
    return b"glTF" + struct.pack("<II", 2, total) + chunk


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    """As a browser sends it: the client's name and declared type, never trusted."""
    return SimpleUploadedFile(name, content, content_type=content_type)
