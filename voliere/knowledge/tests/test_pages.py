"""The editor and other pages through HTTP: bad input, diff escaping, covers, comments,
blogs of organisations, and query counts of the lists."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from voliere.accounts.models import Account, AccountKind, OrganisationRole
from voliere.knowledge.actions import articles, forum
from voliere.knowledge.models import Article, ArticleStatus, Comment
from voliere.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _post_article(client, **fields: str):  # noqa: ANN001, ANN202
    data = {
        "title": "Pump maintenance",
        "body": "Check the seals.",
        "visibility": "internal",
        "publish": "1",
        **fields,
    }
    return client.post(reverse("knowledge_article_new"), data)


@pytest.mark.parametrize(
    ("fields", "message", "field_name"),
    [
        ({"title": "  "}, "A title is required.", "title"),
        ({"title": "x" * 201}, "A title has at most 200 characters", "title"),
        ({"body": ""}, "The text cannot be empty.", "body"),
        ({"body": "x" * 100_001}, "The text has at most 100000 characters", "body"),
        ({"visibility": "everyone"}, "Visibility must be one of", "visibility"),
        ({"destination": "community:999999"}, "No such community, or you are not a member", ""),
        ({"destination": "blog:1x"}, "Choose where to publish", ""),
        ({"tags": "x" * 60}, "is too long", "tags"),
        ({"coauthors": "@nobody_here"}, "No such account: @nobody_here", "coauthors"),
    ],
)
def test_bad_article_input_gets_a_clear_message_and_saves_nothing(
    login, alice, fields, message, field_name
):
    fields.setdefault("destination", f"blog:{alice.account.pk}")
    response = _post_article(login(alice), **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_writing_an_article_with_coauthors_tags_and_a_cover(login, alice, bob, settings, tmp_path):
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    cover = SimpleUploadedFile("c.jpg", buffer.getvalue(), content_type="image/jpeg")
    client = login(alice)
    response = client.post(
        reverse("knowledge_article_new"),
        {
            "title": "Pump maintenance",
            "body": "Check the <b>seals</b>.",
            "visibility": "public",
            "destination": f"blog:{alice.account.pk}",
            "tags": "Pumps, safety",
            "coauthors": "@bob",
            "cover": cover,
            "cover_alt": "A red pump",
            "publish": "1",
        },
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == ArticleStatus.PUBLISHED
    assert sorted(t.name for t in article.tags.all()) == ["pumps", "safety"]
    assert "&lt;b&gt;seals&lt;/b&gt;" in article.body_html
    with Image.open(article.cover.path) as stored:
        assert not stored.getexif()
    assert b"SecretCam" not in open(article.cover.path, "rb").read()
    # The co-author may edit.
    response = login(bob).post(
        reverse("knowledge_article_edit", args=[article.pk]),
        {
            "title": "Pump maintenance",
            "body": "Check the seals twice.",
            "tags": "pumps",
            "visibility": "public",
            "cover_alt": "A red pump",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.revision == 2 and article.cover  # the cover stays


def test_a_broken_cover_is_refused_and_nothing_is_saved(login, alice):
    fake = SimpleUploadedFile("c.png", b"<script>alert(1)</script>", content_type="image/png")
    response = _post_article(login(alice), destination=f"blog:{alice.account.pk}", cover=fake)
    assert response.status_code == 400
    assert "not a valid image" in response.content.decode()
    assert not Article.objects.exists()


def test_the_diff_view_escapes_what_people_wrote(login, alice, write_article):
    article = write_article(alice.account, body="line one\n<b>line two</b>")
    articles.edit_article(
        alice.account,
        article,
        title="New <i>title</i>",
        body="line one\n<script>alert(1)</script>",
        tags="x",
    )
    body = (
        login(alice).get(reverse("knowledge_diff", args=["article", article.pk])).content.decode()
    )
    assert "<script>alert" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<del>- &lt;b&gt;line two&lt;/b&gt;</del>" in body
    assert "<ins>New &lt;i&gt;title&lt;/i&gt;</ins>" in body
    bad = login(alice).get(reverse("knowledge_diff", args=["article", article.pk]), {"from": "x"})
    assert bad.status_code == 400
    missing = login(alice).get(reverse("knowledge_diff", args=["article", article.pk]), {"to": "9"})
    assert missing.status_code == 404


def test_comments_are_plain_text_and_tell_the_authors(
    login, alice, bob, write_article, run_on_commit
):
    article = write_article(alice.account)
    with run_on_commit():
        response = login(bob).post(
            reverse("knowledge_article_comment", args=[article.pk]),
            {"body": "<img src=x onerror=alert(1)> nice"},
        )
    assert response.status_code == 302
    page = login(bob).get(article.get_absolute_url()).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt; nice" in page
    assert Notification.objects.filter(recipient=alice.account, kind="comment").exists()
    response = login(bob).post(
        reverse("knowledge_article_comment", args=[article.pk]), {"body": ""}
    )
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_unknown_community_in_the_question_form(login, alice):
    response = login(alice).post(
        reverse("knowledge_thread_new"),
        {"title": "Q", "body": "B", "community": "424242", "visibility": "internal"},
    )
    assert response.status_code == 400
    assert "No such community" in response.content.decode()


def test_organisation_blog_by_its_managers(login, alice, bob):
    org = Account.objects.create(
        kind=AccountKind.ORGANISATION, handle="acme", handle_lower="acme", display_name="Acme"
    )
    OrganisationRole.objects.create(user=alice, organisation=org)
    response = _post_article(login(bob), destination=f"blog:{org.pk}")
    assert (
        response.status_code == 400 and "cannot publish in that blog" in response.content.decode()
    )
    response = _post_article(login(alice), destination=f"blog:{org.pk}", title="Acme news")
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.blog == org
    assert set(article.authors.all()) == {alice.account, org}  # managers acting as Acme edit it
    blog = login(bob).get(reverse("knowledge_blog", args=["acme"])).content.decode()
    assert "Acme news" in blog


def _count_queries(client, django_assert_max_num_queries, url: str) -> int:  # noqa: ANN001
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("tab", ["articles", "questions", "validated"])
def test_list_queries_do_not_grow_with_the_page(
    login, alice, bob, make_community, write_article, ask, tab, django_assert_max_num_queries
):
    community = make_community(alice.account, "open", bob.account)
    client = login(bob)
    url = f"{reverse('knowledge')}?tab={tab}"

    def add(n: int) -> None:
        for i in range(n):
            write_article(
                alice.account,
                title=f"A{i}",
                tags="a, b",
                coauthors=[bob.account],
                community=community if i % 2 else None,
            )
            thread = ask(alice.account, title=f"Q{i}", tags="c", community=community)
            forum.answer_question(bob.account, thread, "answer")

    add(2)
    few = _count_queries(client, django_assert_max_num_queries, url)
    add(15)
    many = _count_queries(client, django_assert_max_num_queries, url)
    assert few == many


def test_thread_page_queries_do_not_grow_with_answers(login, alice, make_user, ask):
    thread = ask(alice.account)
    client = login(alice)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(thread.get_absolute_url())
        return len(ctx.captured_queries)

    forum.answer_question(make_user().account, thread, "first")
    few = count()
    for _i in range(10):
        forum.answer_question(make_user().account, thread, "more")
    assert count() == few
