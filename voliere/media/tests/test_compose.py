"""Posting with attachments through the real compose view, and how cards, the profile's
Media tab and list pages show them."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from voliere.accounts.actions import follow_account
from voliere.media.actions import update_media, upload_media
from voliere.media.models import MediaAttachment
from voliere.media.queries import posts_with_media
from voliere.media.tests import files
from voliere.media.tests.conftest import stored_files
from voliere.posts.actions import publish_post, repost
from voliere.posts.models import Post


def compose(client: Client, text: str = "with media", **slots) -> object:
    data = {"text": text, "visibility": "public", **slots}
    return client.post(reverse("compose"), data)


def test_compose_with_an_image_and_alt_text(alice, login, attachments_dir):
    client = login(alice)
    response = compose(
        client,
        media_1=files.upload("cat.jpg", files.jpeg_with_gps((900, 600))),
        media_1_description='A cat on a "keyboard" <b>',
        media_2=files.upload("specs.pdf", files.pdf(), "application/pdf"),
    )
    assert response.status_code == 302
    post = Post.objects.get(author=alice.account)
    image, pdf = MediaAttachment.objects.filter(subject_id=post.id).order_by("position")
    assert image.subject_type == "posts.post" and image.description == 'A cat on a "keyboard" <b>'
    assert (image.width, image.height) == (900, 600) and pdf.original_name == "specs.pdf"
    page = client.get(post.get_absolute_url()).content.decode()
    # The thumbnail with its (escaped) alt text, a link to the picture, the PDF download.
    assert f'src="{image.thumbnail_url}"' in page
    assert 'alt="A cat on a &quot;keyboard&quot; &lt;b&gt;"' in page
    assert f'href="{image.get_absolute_url()}"' in page
    assert re.search(rf'href="{re.escape(pdf.get_absolute_url())}" download>', page)
    assert len(stored_files(attachments_dir)) == 3


def test_compose_page_is_a_multipart_form_with_upload_slots(alice, login):
    page = login(alice).get(reverse("compose")).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file" name="media_1"' in page and 'name="media_4_description"' in page


def test_media_alone_is_a_post(alice, login):
    response = compose(login(alice), text="", media_1=files.upload("a.png", files.image_bytes()))
    assert response.status_code == 302
    assert Post.objects.get(author=alice.account).text == ""


def test_refused_file_keeps_the_form_and_stores_nothing(alice, login, attachments_dir):
    response = compose(
        login(alice),
        media_1=files.upload("a.png", files.image_bytes()),
        media_2=files.upload("evil.jpg", b"<html><script>alert(1)</script></html>"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“evil.jpg” cannot be attached: its content looks like HTML or XML text." in page
    assert "with media" in page  # the text is kept
    assert not Post.objects.exists() and not MediaAttachment.objects.exists()
    assert stored_files(attachments_dir) == []


def test_video_cannot_be_combined(alice, login, attachments_dir):
    response = compose(
        login(alice),
        media_1=files.upload("clip.mp4", files.mp4()),
        media_2=files.upload("a.png", files.image_bytes()),
    )
    assert response.status_code == 400
    assert "A video cannot be combined with other attachments." in response.content.decode()
    assert not Post.objects.exists() and stored_files(attachments_dir) == []


def test_upload_over_the_limit_is_dropped_while_streaming(alice, login, settings, attachments_dir):
    settings.MEDIA_IMAGE_MAX_BYTES = settings.MEDIA_VIDEO_MAX_BYTES = 2000
    settings.MEDIA_FILE_MAX_BYTES = 2000
    response = compose(login(alice), media_1=files.upload("huge.pdf", files.pdf() + b"%" * 50_000))
    assert response.status_code == 400
    assert "“huge.pdf” is too large: uploads are limited to" in response.content.decode()
    assert not Post.objects.exists() and stored_files(attachments_dir) == []


def test_a_failing_publish_leaves_no_file(alice, login, attachments_dir):
    response = compose(
        login(alice), text="x" * 5000, media_1=files.upload("a.png", files.image_bytes())
    )
    assert response.status_code == 400
    assert not MediaAttachment.objects.exists() and stored_files(attachments_dir) == []


def test_media_ids_must_be_ones_own_unattached_uploads(alice, bob, attachments_dir):
    from voliere.core.exceptions import InvalidInput

    mine = upload_media(alice.account, files.upload("a.png", files.image_bytes()))
    theirs = upload_media(bob.account, files.upload("b.png", files.image_bytes()))
    with pytest.raises(InvalidInput, match="is not yours"):
        publish_post(alice.account, "steal", media_ids=[theirs.id])
    with pytest.raises(InvalidInput, match="not a media id"):
        publish_post(alice.account, "junk", media_ids=["1; drop"])
    publish_post(alice.account, "mine", media_ids=[mine.id])
    with pytest.raises(InvalidInput, match="already attached"):
        publish_post(alice.account, "again", media_ids=[mine.id])
    five = [
        upload_media(alice.account, files.upload("c.png", files.image_bytes())).id for _ in range(5)
    ]
    with pytest.raises(InvalidInput, match="At most 4 attachments"):
        publish_post(alice.account, "too many", media_ids=five)
    assert Post.objects.filter(author=alice.account).count() == 1
    assert MediaAttachment.objects.filter(subject_id__isnull=True, owner=alice.account).count() == 5


def test_new_alt_text_shows_at_once_despite_the_card_cache(alice, login):
    client = login(alice)
    media = upload_media(
        alice.account, files.upload("a.png", files.image_bytes()), description="old"
    )
    post = publish_post(alice.account, "cached", media_ids=[media.id])
    assert 'alt="old"' in client.get("/organisation/").content.decode()
    update_media(alice.account, media, description="new words")
    page = client.get("/organisation/").content.decode()
    assert 'alt="new words"' in page and 'alt="old"' not in page
    assert str(post.id) in page


def test_profile_media_tab_lists_visible_posts_with_media(alice, bob, carol, login):
    follow_account(bob.account, alice.account)
    publish_post(alice.account, "no media here")
    shown = publish_post(
        alice.account,
        "public photo",
        media_ids=[upload_media(alice.account, files.upload("a.png", files.image_bytes())).id],
    )
    private = publish_post(
        alice.account,
        "followers photo",
        visibility="followers",
        media_ids=[upload_media(alice.account, files.upload("b.png", files.image_bytes())).id],
    )
    repost(
        alice.account,
        publish_post(
            carol.account,
            "x",
            media_ids=[upload_media(carol.account, files.upload("c.png", files.image_bytes())).id],
        ),
    )
    url = f"/@{alice.account.handle}/media/"
    as_bob = [p.id for p in login(bob).get(url).context["page"]]
    assert as_bob == [private.id, shown.id]
    stranger = Client()
    stranger.force_login(carol)
    assert [p.id for p in stranger.get(url).context["page"]] == [shown.id]
    assert "No media yet." in Client().get(f"/@{bob.account.handle}/media/").content.decode()


def test_posts_with_media_counts_reposts_of_media_posts(alice, bob):
    plain = publish_post(alice.account, "plain")
    photo = publish_post(
        alice.account,
        "photo",
        media_ids=[upload_media(alice.account, files.upload("a.png", files.image_bytes())).id],
    )
    boost = repost(bob.account, photo)
    found = set(posts_with_media(Post.objects.visible_to(bob.account)).values_list("id", flat=True))
    assert found == {photo.id, boost.id} and plain.id not in found


def test_list_page_queries_do_not_grow_with_media(make_user, django_assert_num_queries):
    counts = []
    for size in (3, 12):
        author, reader = make_user(), make_user()
        for number in range(size):
            ids = [
                upload_media(author.account, files.upload("a.png", files.image_bytes())).id
                for _ in range(2)
            ]
            publish_post(author.account, f"photo {number}", media_ids=ids)
        client = Client()
        client.force_login(reader)
        # session, user, account; the profile's account, block check, relationship flags
        # and skills; then posts, likes, bookmarks, reposts of the viewer, media.
        with django_assert_num_queries(11) as captured:
            response = client.get(f"/@{author.account.handle}/media/")
        assert response.status_code == 200
        assert response.content.decode().count('class="media-image"') == 2 * size
        counts.append(len(captured))
    assert counts[0] == counts[1]
