"""Fetching attachment files: only people who may see the post get them, with headers
that keep the browser from running anything."""

from __future__ import annotations

import pytest
from django.test import Client

from voliere.accounts.actions import follow_account
from voliere.media.actions import upload_media
from voliere.media.models import MediaAttachment
from voliere.media.tests import files
from voliere.media.tests.conftest import stored_files
from voliere.posts.actions import delete_post, publish_post


def post_with(author, *uploads, visibility="public", text="look"):
    ids = [upload_media(author.account, u).id for u in uploads]
    post = publish_post(author.account, text, visibility=visibility, media_ids=ids)
    return post, list(MediaAttachment.objects.filter(id__in=ids).order_by("position"))


def as_user(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_public_image_is_served_inline_with_safe_headers(alice):
    _post, (media,) = post_with(alice, files.upload("cat.png", files.image_bytes("PNG")))
    response = Client().get(media.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('inline; filename="cat.png"')
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    thumb = Client().get(media.thumbnail_url)
    assert thumb.status_code == 200 and thumb["Content-Type"].startswith("image/")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", files.pdf(), "application/pdf"),
        ("tri.obj", files.obj(), "model/obj"),
        ("part.stl", files.binary_stl(), "model/stl"),
    ],
)
def test_files_are_downloads_never_inline(alice, name, content, content_type):
    _post, (media,) = post_with(alice, files.upload(name, content, "text/html"))
    response = Client().get(media.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(f'attachment; filename="{name}"')
    assert response["X-Content-Type-Options"] == "nosniff"


def test_followers_only_media_is_hidden_from_strangers(alice, bob, carol):
    follow_account(bob.account, alice.account)
    _post, (media,) = post_with(
        alice, files.upload("plan.png", files.image_bytes("PNG")), visibility="followers"
    )
    for url in (media.get_absolute_url(), media.thumbnail_url):
        assert as_user(None).get(url).status_code == 404
        assert as_user(carol).get(url).status_code == 404
        assert as_user(bob).get(url).status_code == 200
        assert as_user(alice).get(url).status_code == 200


def test_direct_media_reaches_mentioned_people_only(alice, bob, carol):
    _post, (media,) = post_with(
        alice, files.upload("memo.pdf", files.pdf()), visibility="direct", text="@bob see this"
    )
    assert as_user(bob).get(media.get_absolute_url()).status_code == 200
    assert as_user(carol).get(media.get_absolute_url()).status_code == 404


def test_internal_media_needs_a_signed_in_member(alice, bob):
    _post, (media,) = post_with(
        alice, files.upload("a.png", files.image_bytes()), visibility="internal"
    )
    assert as_user(None).get(media.get_absolute_url()).status_code == 404
    assert as_user(bob).get(media.get_absolute_url()).status_code == 200


def test_unattached_upload_is_only_for_its_owner(alice, bob):
    media = upload_media(alice.account, files.upload("draft.png", files.image_bytes()))
    assert as_user(alice).get(media.get_absolute_url()).status_code == 200
    assert as_user(bob).get(media.get_absolute_url()).status_code == 404
    assert as_user(None).get(media.get_absolute_url()).status_code == 404


def test_unknown_ids_and_junk_are_404(alice):
    assert Client().get("/attachments/123/x.png").status_code == 404
    assert Client().get("/attachments/99999999999999999999999/x").status_code == 404


def test_deleted_post_takes_its_files_away(alice, attachments_dir, run_on_commit):
    post, (media,) = post_with(alice, files.upload("a.png", files.image_bytes()))
    assert len(stored_files(attachments_dir)) == 2
    with run_on_commit():
        delete_post(alice.account, post)
    assert as_user(alice).get(media.get_absolute_url()).status_code == 404
    assert not MediaAttachment.objects.exists()
    assert stored_files(attachments_dir) == []


def test_video_byte_ranges_for_seeking(alice):
    _post, (media,) = post_with(alice, files.upload("clip.mp4", files.mp4()))
    whole = files.mp4()
    response = Client().get(media.get_absolute_url(), HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-19/{len(whole)}"
    assert b"".join(response.streaming_content) == whole[10:20]
    assert response["Content-Disposition"].startswith("inline")
    tail = Client().get(media.get_absolute_url(), HTTP_RANGE="bytes=-5")
    assert b"".join(tail.streaming_content) == whole[-5:]
    beyond = Client().get(media.get_absolute_url(), HTTP_RANGE=f"bytes={len(whole) + 5}-")
    assert beyond.status_code == 416
