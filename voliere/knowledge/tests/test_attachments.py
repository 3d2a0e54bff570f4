"""Attachments on articles and questions, through the real pages and the real file URL:
shown with their alt text, downloadable, exactly as private as the item (drafts, secret
communities, former members), and nothing stored when the form or a file is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from conftest import committed
from voliere.communities import actions as community_actions
from voliere.knowledge.actions import articles
from voliere.knowledge.models import Article, Thread
from voliere.media.models import MediaAttachment
from voliere.media.tests import files
from voliere.media.tests.conftest import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path, settings) -> Path:
    """A fresh attachments directory per test, so "nothing stored" is a directory listing."""
    root = tmp_path / "attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


def _article_form(author_pk: int, **fields: object) -> dict[str, object]:
    return {
        "title": "Calibration bench",
        "body": "How we calibrate the **bench**.",
        "visibility": "internal",
        "destination": f"blog:{author_pk}",
        "publish": "1",
        **fields,
    }


def _question_form(**fields: object) -> dict[str, object]:
    return {
        "title": "Which seal for the pump?",
        "body": "It leaks at 3 bar.",
        "visibility": "internal",
        "community": "",
        **fields,
    }


def _fetch(client: Client, media: MediaAttachment) -> int:
    return client.get(media.get_absolute_url()).status_code


def test_article_with_an_image_and_a_pdf_shows_them_and_serves_the_files(login, alice, media_root):
    client = login(alice)
    page = client.get(reverse("knowledge_article_new")).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="media_1_description"' in page
    response = client.post(
        reverse("knowledge_article_new"),
        _article_form(
            alice.account.pk,
            media_1=files.upload("bench.jpg", files.jpeg_with_gps((300, 200))),
            media_1_description='The bench, "front" <view>',
            media_2=files.upload("procedure.pdf", files.pdf(), "application/pdf"),
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    image, pdf = MediaAttachment.objects.filter(subject_id=article.pk).order_by("position")
    assert {image.subject_type, pdf.subject_type} == {"knowledge.article"}
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'src="{image.thumbnail_url}"' in page
    assert 'alt="The bench, &quot;front&quot; &lt;view&gt;"' in page
    assert re.search(rf'href="{re.escape(pdf.get_absolute_url())}" download>', page)
    download = client.get(pdf.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == files.pdf()
    picture = client.get(image.get_absolute_url())
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    # Another member may read the internal article, so they may fetch its files too.
    assert len(stored_files(media_root)) == 3  # image, its thumbnail, the PDF


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " "}, "A title is required."),
        ({"destination": "community:999999"}, "No such community, or you are not a member"),
        (
            {"media_2": files.upload("evil.jpg", b"<html><script>alert(1)</script></html>")},
            "“evil.jpg” cannot be attached",
        ),
        ({"media_2": files.upload("bomb.png", files.png_bomb(), "image/png")}, "bomb.png"),
        ({"media_2": files.upload("clip.mp4", files.mp4(), "video/mp4")}, "video"),
    ],
)
def test_refused_article_stores_neither_rows_nor_files(login, alice, media_root, fields, message):
    data = _article_form(
        alice.account.pk, media_1=files.upload("ok.png", files.image_bytes(), "image/png")
    )
    response = login(alice).post(reverse("knowledge_article_new"), {**data, **fields})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Article.objects.exists()
    assert not MediaAttachment.objects.exists()
    assert stored_files(media_root) == []


def test_draft_attachments_are_for_the_authors_only(login, alice, bob, client):
    data = _article_form(
        alice.account.pk, media_1=files.upload("plan.pdf", files.pdf(), "application/pdf")
    )
    del data["publish"]
    assert login(alice).post(reverse("knowledge_article_new"), data).status_code == 302
    media = MediaAttachment.objects.get()
    assert Article.objects.get().is_draft
    assert _fetch(client, media) == 200
    client.force_login(bob)
    assert _fetch(client, media) == 404
    client.logout()
    assert _fetch(client, media) == 404
    assert client.head(media.get_absolute_url()).status_code == 404


def test_secret_community_attachments_stay_with_its_members(
    login, alice, bob, carol, make_community, client
):
    secret = make_community(alice.account, "secret", bob.account, name="Project Nightjar")
    client.force_login(bob)
    response = client.post(
        reverse("knowledge_article_new"),
        _article_form(
            bob.account.pk,
            destination=f"community:{secret.pk}",
            media_1=files.upload("map.png", files.image_bytes(), "image/png"),
            media_1_description="Site map",
        ),
    )
    assert response.status_code == 302
    response = client.post(
        reverse("knowledge_thread_new"),
        _question_form(
            community=str(secret.pk),
            media_1=files.upload("drawing.stl", files.binary_stl(), "model/stl"),
        ),
    )
    assert response.status_code == 302
    on_article = MediaAttachment.objects.get(subject_type="knowledge.article")
    on_thread = MediaAttachment.objects.get(subject_type="knowledge.thread")
    for media in (on_article, on_thread):
        assert _fetch(client, media) == 200  # bob, a member
    client.force_login(alice)
    assert all(_fetch(client, m) == 200 for m in (on_article, on_thread))
    client.force_login(carol)  # a member of the instance, not of the community
    assert [_fetch(client, m) for m in (on_article, on_thread)] == [404, 404]
    assert client.get(on_article.thumbnail_url).status_code == 404
    client.logout()
    assert [_fetch(client, m) for m in (on_article, on_thread)] == [404, 404]
    # A former member loses the files with the pages.
    community_actions.leave_community(bob.account, secret)
    client.force_login(bob)
    assert [_fetch(client, m) for m in (on_article, on_thread)] == [404, 404]


def test_question_with_an_attachment_and_one_more_on_edit(login, alice, bob):
    client = login(alice)
    response = client.post(
        reverse("knowledge_thread_new"),
        _question_form(
            media_1=files.upload("leak.png", files.image_bytes(), "image/png"),
            media_1_description="Where it leaks",
        ),
    )
    assert response.status_code == 302
    thread = Thread.objects.get()
    edit_page = client.get(reverse("knowledge_thread_edit", args=[thread.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in edit_page
    assert "This question has 1 attachment" in edit_page
    response = client.post(
        reverse("knowledge_thread_edit", args=[thread.pk]),
        {
            "title": thread.title,
            "body": thread.body,
            "tags": "",
            "media_1": files.upload("datasheet.pdf", files.pdf(), "application/pdf"),
        },
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.revision == 1  # a file alone is not a new revision of the text
    image, pdf = MediaAttachment.objects.filter(subject_id=thread.pk).order_by("position")
    assert (image.position, pdf.position) == (0, 1)
    client.force_login(bob)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'alt="Where it leaks"' in page and "datasheet.pdf" in page
    assert _fetch(client, pdf) == 200


def test_editing_beyond_four_attachments_is_refused_and_adds_nothing(login, alice, media_root):
    client = login(alice)
    pngs = {
        f"media_{n}": files.upload(f"{n}.png", files.image_bytes(), "image/png") for n in (1, 2, 3)
    }
    client.post(reverse("knowledge_article_new"), _article_form(alice.account.pk, **pngs))
    article = Article.objects.get()
    before = stored_files(media_root)
    response = client.post(
        reverse("knowledge_article_edit", args=[article.pk]),
        {
            "title": "A new title",
            "body": article.body,
            "visibility": "internal",
            "media_1": files.upload("4.pdf", files.pdf(), "application/pdf"),
            "media_2": files.upload("5.pdf", files.pdf(), "application/pdf"),
        },
    )
    assert response.status_code == 400
    assert "At most 4 attachments" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Calibration bench" and article.revision == 1
    assert MediaAttachment.objects.filter(subject_id=article.pk).count() == 3
    assert stored_files(media_root) == before


def test_deleting_an_article_deletes_its_files(login, alice, media_root):
    client = login(alice)
    data = _article_form(
        alice.account.pk, media_1=files.upload("a.png", files.image_bytes(), "image/png")
    )
    client.post(reverse("knowledge_article_new"), data)
    article = Article.objects.get()
    media = MediaAttachment.objects.get()
    assert stored_files(media_root) != []
    with committed():
        response = client.post(reverse("knowledge_article_delete", args=[article.pk]))
    assert response.status_code == 302
    assert not MediaAttachment.objects.exists()
    assert stored_files(media_root) == []
    assert _fetch(client, media) == 404


def test_cover_is_served_by_the_article_to_its_readers_only(login, alice, bob, client):
    """A draft's cover is no public file: `/media/` does not serve covers at all."""
    data = _article_form(alice.account.pk, cover=files.upload("c.png", files.image_bytes()))
    del data["publish"]
    login(alice).post(reverse("knowledge_article_new"), data)
    article = Article.objects.get()
    cover_url = reverse("knowledge_article_cover", args=[article.pk])
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'src="{cover_url}"' in page
    response = client.get(cover_url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("image/")
    assert client.get(f"/media/{article.cover.name}").status_code == 404
    client.force_login(bob)
    assert client.get(cover_url).status_code == 404
    client.logout()
    assert client.get(cover_url).status_code == 404
    with committed():
        articles.publish_article(alice.account, article)
    client.force_login(bob)
    assert client.get(cover_url).status_code == 200  # published, internal: every member
    client.logout()
    assert client.get(cover_url).status_code == 404
