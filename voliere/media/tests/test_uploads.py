"""Uploads through `upload_media`: what is accepted, what it becomes, and every refusal
leaving nothing behind (no row, no file)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from voliere.core.exceptions import InvalidInput
from voliere.media.actions import upload_media
from voliere.media.models import MediaAttachment, MediaKind
from voliere.media.storage import attachment_storage
from voliere.media.tests import files
from voliere.media.tests.conftest import stored_files


def read_stored(name: str) -> bytes:
    with attachment_storage().open(name, "rb") as handle:
        return handle.read()


def test_jpeg_exif_and_gps_are_stripped_and_orientation_applied(alice, attachments_dir):
    original = files.jpeg_with_gps((40, 20), orientation=6)  # "rotate 90° clockwise"
    assert b"Secret Camera" in original
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(files.GPS_IFD)

    media = upload_media(alice.account, files.upload("holiday.jpg", original))

    data = read_stored(media.file_name)
    assert b"Secret Camera" not in data
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert not stored.getexif()  # no EXIF at all: no GPS, no model, no orientation
    assert not stored.getexif().get_ifd(files.GPS_IFD)
    # Orientation 6 turned the 40×20 picture upright into 20×40, pixels rotated.
    assert (media.width, media.height) == (20, 40) == stored.size
    assert media.kind == MediaKind.IMAGE and media.content_type == "image/jpeg"
    assert media.original_name == "holiday.jpg"
    assert len(stored_files(attachments_dir)) == 2  # the picture and its thumbnail


def test_thumbnail_is_at_most_640_pixels(alice):
    media = upload_media(
        alice.account, files.upload("big.png", files.image_bytes("PNG", (1600, 1200)))
    )
    thumb = Image.open(io.BytesIO(read_stored(media.thumbnail_name)))
    assert thumb.size == (640, 480) == (media.thumbnail_width, media.thumbnail_height)
    assert (media.width, media.height) == (1600, 1200)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (files.image_bytes("PNG"), "image/png"),
        (files.image_bytes("WEBP"), "image/webp"),
        (files.image_bytes("GIF", mode="L"), "image/gif"),
        (files.animated_gif(3), "image/gif"),
    ],
)
def test_image_formats_are_reencoded_in_their_format(alice, content, content_type):
    # The client lies about the name; the bytes decide.
    media = upload_media(alice.account, files.upload("picture.bin", content, "text/plain"))
    assert media.content_type == content_type
    assert media.original_name.endswith("." + media.file_name.rsplit(".", 1)[1])
    stored = Image.open(io.BytesIO(read_stored(media.file_name)))
    assert stored.format == content_type.split("/")[1].upper()
    assert getattr(stored, "n_frames", 1) == getattr(Image.open(io.BytesIO(content)), "n_frames", 1)


def test_a_script_appended_to_a_jpeg_does_not_survive(alice):
    payload = b"<script>alert(1)</script>"
    media = upload_media(alice.account, files.upload("x.jpg", files.jpeg_with_gps() + payload))
    assert payload not in read_stored(media.file_name)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kind"),
    [
        ("clip.mp4", files.mp4(), "video/mp4", MediaKind.VIDEO),
        ("report.pdf", files.pdf(), "application/pdf", MediaKind.FILE),
        (
            "minutes.docx",
            files.office("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            MediaKind.FILE,
        ),
        (
            "budget.xlsx",
            files.office("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            MediaKind.FILE,
        ),
        ("notes.odt", files.odt(), "application/vnd.oasis.opendocument.text", MediaKind.FILE),
        ("part.stl", files.binary_stl(), "model/stl", MediaKind.FILE),
        ("cube.stl", files.ascii_stl(), "model/stl", MediaKind.FILE),
        ("tri.obj", files.obj(), "model/obj", MediaKind.FILE),
        ("scene.glb", files.glb(), "model/gltf-binary", MediaKind.FILE),
    ],
)
def test_videos_and_files_are_stored_as_sent(alice, name, content, content_type, kind):
    media = upload_media(alice.account, files.upload(name, content, "application/octet-stream"))
    assert (media.kind, media.content_type) == (kind, content_type)
    assert read_stored(media.file_name) == content
    assert media.size == len(content) and media.thumbnail_name == ""
    assert media.original_name == name


def test_download_name_takes_the_sniffed_extension(alice):
    media = upload_media(alice.account, files.upload("../../etc/invoice.html", files.pdf()))
    assert media.original_name == "invoice.pdf"
    assert "/" not in media.file_name.split("/", 2)[2]


REFUSALS = [
    ("empty.jpg", b"", "“empty.jpg” is empty."),
    ("cut.jpg", files.jpeg_with_gps((300, 200))[:700], "the image is damaged or incomplete"),
    ("bomb.png", files.png_bomb(), "too large to decode safely"),
    ("page.jpg", b"<html><body><script>alert(1)</script></body></html>", "HTML or XML text"),
    (
        "logo.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "an SVG image",
    ),
    ("photo.jpg", b"#!/bin/sh\nrm -rf /\n", "a script"),
    ("invoice.pdf", files.windows_exe(), "a Windows program"),
    ("manual.pdf", files.elf(), "an executable program"),
    ("macro.docx", files.office("docx", macros=True), "an office document with macros"),
    ("archive.docx", files.plain_zip(), "a ZIP archive"),
    ("model.obj", b"v 0 0 0\n<script>alert(1)</script>\n", "HTML or XML text"),
    ("notes.obj", b"hello world\nthis is text\n", "plain text"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSALS)
def test_broken_and_disguised_files_are_refused_with_nothing_stored(
    alice, attachments_dir, name, content, message
):
    with pytest.raises(InvalidInput) as refused:
        upload_media(alice.account, files.upload(name, content), field="file")
    assert message in refused.value.message
    assert refused.value.field == "file"
    assert name in refused.value.message
    assert not MediaAttachment.objects.exists()
    assert stored_files(attachments_dir) == []


def test_explicit_pixel_limit(alice, settings, attachments_dir):
    settings.MEDIA_IMAGE_MAX_PIXELS = 1000
    with pytest.raises(InvalidInput, match="at most 0.001 million pixels"):
        upload_media(alice.account, files.upload("a.png", files.image_bytes("PNG", (40, 40))))
    assert stored_files(attachments_dir) == [] and not MediaAttachment.objects.exists()


def test_size_limit_per_kind(alice, settings, attachments_dir):
    settings.MEDIA_FILE_MAX_BYTES = 100
    with pytest.raises(InvalidInput) as refused:
        upload_media(alice.account, files.upload("r.pdf", files.pdf() + b"%" * 200))
    assert refused.value.message.startswith(
        "“r.pdf” is too large: files are limited to 100\xa0bytes (this one is"
    )
    assert stored_files(attachments_dir) == []
    # An image of the same size is within the image limit.
    upload_media(alice.account, files.upload("a.png", files.image_bytes("PNG")))
    assert MediaAttachment.objects.count() == 1


def test_alt_text_and_focus_are_checked(alice, settings, attachments_dir):
    settings.MEDIA_DESCRIPTION_MAX_CHARS = 10
    image = files.upload("a.png", files.image_bytes("PNG"))
    with pytest.raises(InvalidInput, match="at most 10 characters") as refused:
        upload_media(alice.account, image, description="x" * 11)
    assert refused.value.field == "file_description"
    with pytest.raises(InvalidInput, match="between -1 and 1"):
        upload_media(alice.account, image, focus="2,0")
    with pytest.raises(InvalidInput, match="two numbers"):
        upload_media(alice.account, image, focus="left")
    assert stored_files(attachments_dir) == [] and not MediaAttachment.objects.exists()
    media = upload_media(alice.account, image, description="A cat", focus="-0.5,0.25")
    assert (media.description, media.focus_x, media.focus_y) == ("A cat", -0.5, 0.25)
