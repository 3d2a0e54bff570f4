"""Editing one's profile (text, links, skills, images) and the blocked/muted lists."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from voliere.accounts.actions import block_account, mute_account, set_skills
from voliere.accounts.models import Account, AccountSkill

PROFILE = {
    "display_name": "Alice Liddell",
    "bio": "Down the rabbit hole.",
    "job_title": "Engineer",
    "department": "R&D",
    "location": "Lyon",
    "languages": "fr, en",
    "skills": "Python, public speaking, python",
    "link_label_0": "Blog",
    "link_url_0": "https://alice.example/",
}


def png_bytes(size: tuple[int, int] = (800, 600), *, exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        image.save(buffer, format="JPEG", exif=data)
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_profile(client, **changes):
    return client.post(reverse("settings_profile"), {**PROFILE, **changes})


def test_settings_need_login(client):
    for name in ("settings_profile", "settings_relationships"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_profile_form_shows_current_values(client, alice):
    set_skills(alice.account, ["Django"])
    client.force_login(alice)
    page = client.get(reverse("settings_profile")).content.decode()
    assert 'value="Alice"' in page
    assert 'value="Django"' in page


def test_profile_edit_saves_text_links_and_skills(client, alice):
    client.force_login(alice)
    response = post_profile(client)
    assert response.status_code == 302
    account = Account.objects.get(pk=alice.account.pk)
    assert account.display_name == "Alice Liddell"
    assert account.department == "R&D"
    assert account.language_list == ["fr", "en"]
    assert account.links == [{"label": "Blog", "url": "https://alice.example/"}]
    skills = AccountSkill.objects.filter(account=account).order_by("skill__key")
    assert [row.skill.name for row in skills] == ["public speaking", "Python"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"link_url_0": "javascript:alert(1)"}, "Enter a valid URL."),
        ({"link_url_0": "ftp://files.example/"}, "Enter a valid web address (http or https)."),
        ({"link_url_0": ""}, "A link needs an address."),
        ({"job_title": "x" * 101}, "Ensure this value has at most 100 characters"),
    ],
    ids=["javascript-url", "ftp-url", "label-without-url", "too-long"],
)
def test_profile_edit_refusals_save_nothing(client, alice, changes, message):
    client.force_login(alice)
    response = post_profile(client, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    account = Account.objects.get(pk=alice.account.pk)
    assert account.display_name == "Alice"
    assert account.links == []
    assert not AccountSkill.objects.filter(account=account).exists()


def test_avatar_upload_is_cropped_and_reencoded_without_exif(client, alice):
    client.force_login(alice)
    response = post_profile(client, avatar=upload("me.jpg", png_bytes(exif=True), "image/jpeg"))
    assert response.status_code == 302
    account = Account.objects.get(pk=alice.account.pk)
    assert account.avatar.name.startswith("avatars/")
    with account.avatar.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (400, 400)
        assert image.format in {"WEBP", "PNG"}
        assert not image.getexif()
        assert b"SecretCam" not in account.avatar.open("rb").read()


def test_header_upload_fits_in_1500_by_500_and_replaces_old_file(client, alice, run_on_commit):
    client.force_login(alice)
    post_profile(client, header=upload("wide.png", png_bytes((3000, 600))))
    first = Account.objects.get(pk=alice.account.pk).header
    with first.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (1500, 300)
    with run_on_commit():  # the old file is deleted once the change is committed
        post_profile(client, header=upload("small.png", png_bytes((300, 100))))
    second = Account.objects.get(pk=alice.account.pk).header
    assert second.name != first.name
    assert not first.storage.exists(first.name)
    with second.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (300, 100)  # never scaled up


@pytest.mark.parametrize(
    "content",
    [b"just some text, not an image", png_bytes()[:400]],
    ids=["text-renamed-png", "truncated-png"],
)
def test_bad_images_are_refused_and_nothing_saved(client, alice, content):
    client.force_login(alice)
    response = post_profile(client, avatar=upload("me.png", content))
    assert response.status_code == 400
    assert "This file is not a valid image" in response.content.decode()
    account = Account.objects.get(pk=alice.account.pk)
    assert not account.avatar
    assert account.display_name == "Alice"  # the text changes were rolled back


def test_decompression_bomb_is_refused(client, alice):
    client.force_login(alice)
    bomb = Image.new("1", (7_000, 6_000))  # 42 megapixels, a few kilobytes compressed
    buffer = io.BytesIO()
    bomb.save(buffer, format="PNG")
    response = post_profile(client, header=upload("bomb.png", buffer.getvalue()))
    assert response.status_code == 400
    assert "This image has too many pixels." in response.content.decode()
    assert not Account.objects.get(pk=alice.account.pk).header


def test_relationships_page_lists_and_undoes_blocks_and_mutes(client, alice, bob, carol):
    block_account(alice.account, bob.account)
    mute_account(alice.account, carol.account)
    client.force_login(alice)
    page = client.get(reverse("settings_relationships")).content.decode()
    assert "@bob" in page
    assert "@carol" in page
    response = client.post(
        reverse("unblock", args=["bob"]), {"next": reverse("settings_relationships")}
    )
    assert response["Location"] == reverse("settings_relationships")
    client.post(reverse("unmute", args=["carol"]))
    page = client.get(reverse("settings_relationships")).content.decode()
    assert "You have not blocked anyone." in page
    assert "You have not muted anyone." in page
