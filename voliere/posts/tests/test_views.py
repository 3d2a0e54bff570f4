"""The post pages through HTTP: writing, bad input, in-place actions, edit, history, delete."""

from __future__ import annotations

import pytest
from django.test import Client

from voliere.accounts.actions import block_account, follow_account
from voliere.posts.actions import delete_post, edit_post, publish_post, repost
from voliere.posts.models import Bookmark, Like, Post

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def alice_client(alice, login):
    return login(alice)


# Writing -----------------------------------------------------------------------------


def test_compose_publishes_and_redirects_to_the_post(alice, alice_client):
    response = alice_client.post(
        "/posts/new/",
        {"text": "Hello #launch", "visibility": "internal", "spoiler_text": "", "language": "en"},
    )
    post = Post.objects.get(author=alice.account)
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    assert (post.text, post.visibility, post.language) == ("Hello #launch", "internal", "en")


def test_compose_follows_a_local_next(alice_client):
    response = alice_client.post("/posts/new/", {"text": "hi", "visibility": "public", "next": "/"})
    assert response["Location"] == "/"


def test_compose_ignores_an_offsite_next(alice, alice_client):
    response = alice_client.post(
        "/posts/new/", {"text": "hi", "visibility": "public", "next": "https://evil.example/"}
    )
    assert response["Location"] == Post.objects.get(author=alice.account).get_absolute_url()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   ", "visibility": "public"}, "A post cannot be empty."),
        ({"text": "x" * 501, "visibility": "public"}, "A post has at most 500 characters"),
        ({"text": "kept text", "visibility": "everyone"}, "Visibility must be one of"),
        ({"text": "kept text", "visibility": "public", "spoiler_text": "w" * 201},
         "A content warning has at most 200 characters."),
        ({"text": "kept text", "visibility": "public", "language": "<b>"},
         "Language must be a code"),
        ({"text": "kept text", "visibility": "public", "in_reply_to": "abc"}, "whole number"),
    ],
)
def test_bad_input_is_refused_with_its_message_and_the_text_kept(alice_client, data, message):
    response = alice_client.post("/posts/new/", data)
    content = response.content.decode()
    assert response.status_code == 400
    assert message in content
    assert data["text"].strip() in content  # the person's text is kept in the form
    assert 'role="alert"' in content
    assert Post.objects.count() == 0


def test_reply_to_a_post_you_cannot_see_is_404_and_saves_nothing(bob, carol, alice_client):
    hidden = publish_post(bob.account, "to carol only @carol", visibility="direct")
    response = alice_client.post(
        "/posts/new/", {"text": "sneaky", "visibility": "public", "in_reply_to": hidden.id}
    )
    assert response.status_code == 404
    assert "No such post." in response.content.decode()
    assert not Post.objects.filter(text="sneaky").exists()


def test_quoting_a_followers_only_post_is_refused(alice, bob, alice_client):
    follow_account(alice.account, bob.account)
    private = publish_post(bob.account, "for followers", visibility="followers")
    response = alice_client.post(
        "/posts/new/", {"text": "look", "visibility": "public", "quote_of": private.id}
    )
    assert response.status_code == 400
    assert "Only public and internal posts can be quoted." in response.content.decode()
    assert not Post.objects.filter(text="look").exists()


def test_anonymous_cannot_post(db, client):
    response = client.post("/posts/new/", {"text": "hi", "visibility": "public"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert Post.objects.count() == 0


def test_posting_without_csrf_token_is_forbidden(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post("/posts/new/", {"text": "hi", "visibility": "public"}).status_code == 403
    assert Post.objects.count() == 0


def test_reply_lands_in_the_thread(alice, bob, alice_client):
    parent = publish_post(bob.account, "question?", visibility="internal")
    response = alice_client.post(
        "/posts/new/", {"text": "@bob answer", "visibility": "internal", "in_reply_to": parent.id}
    )
    assert response["Location"] == parent.get_absolute_url()
    reply = Post.objects.get(text="@bob answer")
    assert reply.in_reply_to_id == parent.id
    assert "answer" in alice_client.get(parent.get_absolute_url()).content.decode()


def test_quote_page_shows_the_quoted_post(bob, alice_client):
    quoted = publish_post(bob.account, "quotable words")
    response = alice_client.get(f"/posts/new/?quote_of={quoted.id}")
    content = response.content.decode()
    assert response.status_code == 200
    assert "quotable words" in content
    assert f'name="quote_of" value="{quoted.id}"' in content


def test_quote_of_a_hidden_post_shows_unavailable(alice, bob, carol, login, run_on_commit):
    original = publish_post(bob.account, "original words")
    quote = publish_post(carol.account, "see this", quote_of=original)
    with run_on_commit():
        block_account(bob.account, alice.account)
    content = login(alice).get(quote.get_absolute_url()).content.decode()
    assert "see this" in content
    assert "This post is unavailable." in content
    assert "original words" not in content


# Thread page --------------------------------------------------------------------------


def test_thread_shows_ancestors_focus_replies_and_a_prefilled_reply_box(
    alice, bob, carol, alice_client
):
    root = publish_post(bob.account, "root words", visibility="followers")
    follow_account(alice.account, bob.account)
    middle = publish_post(alice.account, "middle words", in_reply_to=root, visibility="followers")
    follow_account(carol.account, alice.account)
    publish_post(carol.account, "leaf words", in_reply_to=middle)
    response = alice_client.get(f"/posts/{middle.id}/")
    content = response.content.decode()
    assert content.index("root words") < content.index("middle words") < content.index("leaf words")
    # Replying to one's own post: no self-mention; visibility follows the parent.
    form = response.context["form"]
    assert form.initial["visibility"] == "followers"
    assert form.initial["in_reply_to"] == middle.id
    response = alice_client.get(f"/posts/{root.id}/")
    assert ">@bob </textarea>" in response.content.decode()


def test_thread_keeps_a_deleted_parent_as_a_tombstone(alice, bob, client):
    root = publish_post(bob.account, "soon gone")
    reply = publish_post(alice.account, "still here", in_reply_to=root)
    delete_post(bob.account, root)
    content = client.get(f"/posts/{reply.id}/").content.decode()
    assert "This post was deleted." in content
    assert "soon gone" not in content
    assert "still here" in content


def test_anonymous_thread_has_no_reply_box(bob, client):
    post = publish_post(bob.account, "public words")
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert 'action="/posts/new/"' not in response.content.decode()


def test_a_repost_url_leads_to_the_original(alice, bob, client):
    original = publish_post(bob.account, "boost me")
    boost = repost(alice.account, original)
    response = client.get(f"/posts/{boost.id}/")
    assert response.status_code == 302
    assert response["Location"] == original.get_absolute_url()


def test_card_escapes_text_and_shows_spoiler_in_details(bob, client):
    post = publish_post(bob.account, "<script>alert(1)</script>", spoiler_text="<b>cw</b>")
    content = client.get(post.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content
    assert "<details" in content and "&lt;b&gt;cw&lt;/b&gt;" in content


def test_unknown_post_is_404(db, client):
    assert client.get("/posts/123/").status_code == 404


# In-place actions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("do", "undo", "model"),
    [("like", "unlike", Like), ("bookmark", "unbookmark", Bookmark)],
)
def test_toggle_without_js_redirects_and_with_htmx_returns_the_bar(
    alice, bob, alice_client, do, undo, model
):
    post = publish_post(bob.account, "nice")
    response = alice_client.post(f"/posts/{post.id}/{do}/", {"next": "/organisation/"})
    assert response.status_code == 302 and response["Location"] == "/organisation/"
    assert model.objects.filter(account=alice.account, post=post).exists()

    response = alice_client.post(f"/posts/{post.id}/{undo}/", {"next": "/"}, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div class="post-actions"')
    assert f"/posts/{post.id}/{do}/" in content  # the bar now offers to do it again
    assert not model.objects.filter(account=alice.account, post=post).exists()


def test_like_via_htmx_marks_the_button_pressed_and_counts(alice, bob, alice_client):
    post = publish_post(bob.account, "nice")
    content = alice_client.post(f"/posts/{post.id}/like/", **HTMX).content.decode()
    assert 'aria-pressed="true"' in content
    assert '<span class="count">1</span>' in content
    assert f"/posts/{post.id}/unlike/" in content


def test_repost_and_undo(alice, bob, alice_client):
    post = publish_post(bob.account, "spread this")
    alice_client.post(f"/posts/{post.id}/repost/")
    assert Post.objects.filter(author=alice.account, reblog_of=post).exists()
    content = alice_client.get("/@alice/").content.decode()
    assert "Reposted by" in content and "spread this" in content
    alice_client.post(f"/posts/{post.id}/unrepost/")
    assert not Post.objects.filter(author=alice.account, reblog_of=post).exists()


def test_reposting_a_followers_only_post_is_400(alice, bob, alice_client):
    follow_account(alice.account, bob.account)
    post = publish_post(bob.account, "mine", visibility="followers")
    response = alice_client.post(f"/posts/{post.id}/repost/")
    assert response.status_code == 400
    assert "Only public and internal posts can be reposted." in response.content.decode()
    assert not Post.objects.filter(reblog_of=post).exists()


@pytest.mark.parametrize("action", ["like", "bookmark", "repost", "unlike", "delete"])
def test_actions_on_an_invisible_post_are_404(bob, carol, alice, alice_client, action):
    hidden = publish_post(bob.account, "@carol secret", visibility="direct")
    response = alice_client.post(f"/posts/{hidden.id}/{action}/")
    assert response.status_code == 404
    assert "No such post." in response.content.decode()
    assert not Like.objects.exists() and not Bookmark.objects.exists()
    assert Post.objects.filter(reblog_of=hidden).count() == 0
    assert Post.objects.get(pk=hidden.pk).deleted_at is None


def test_actions_refuse_get(bob, alice_client):
    post = publish_post(bob.account, "nice")
    assert alice_client.get(f"/posts/{post.id}/like/").status_code == 405
    assert not Like.objects.exists()


# Edit, history, delete ----------------------------------------------------------------


def test_author_edits_and_history_lists_the_old_text(alice, alice_client, client):
    post = publish_post(alice.account, "first version")
    assert alice_client.get(f"/posts/{post.id}/edit/").status_code == 200
    response = alice_client.post(f"/posts/{post.id}/edit/", {"text": "second version"})
    assert response.status_code == 302
    card = alice_client.get(post.get_absolute_url()).content.decode()
    assert f"/posts/{post.id}/history/" in card  # the "edited" marker
    history = alice_client.get(f"/posts/{post.id}/history/").content.decode()
    assert history.index("second version") < history.index("first version")


def test_empty_edit_is_400_and_changes_nothing(alice, alice_client):
    post = publish_post(alice.account, "keep me")
    response = alice_client.post(f"/posts/{post.id}/edit/", {"text": ""})
    assert response.status_code == 400
    assert "A post cannot be empty." in response.content.decode()
    post.refresh_from_db()
    assert post.text == "keep me" and post.edited_at is None


def test_someone_else_cannot_edit(bob, alice_client):
    post = publish_post(bob.account, "bob's words")
    assert alice_client.get(f"/posts/{post.id}/edit/").status_code == 404
    assert alice_client.post(f"/posts/{post.id}/edit/", {"text": "hijack"}).status_code == 404
    post.refresh_from_db()
    assert post.text == "bob's words"


def test_history_of_an_unedited_post(alice, client):
    post = publish_post(alice.account, "never edited")
    edit_post(alice.account, post, "never edited")  # same text: no revision
    content = client.get(f"/posts/{post.id}/history/").content.decode()
    assert "This post was never edited." in content


def test_author_deletes(alice, alice_client):
    post = publish_post(alice.account, "oops")
    response = alice_client.post(f"/posts/{post.id}/delete/", {"next": post.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == "/"
    assert Post.objects.get(pk=post.pk).deleted_at is not None
    assert alice_client.get(post.get_absolute_url()).status_code == 404


def test_htmx_delete_returns_a_tombstone(alice, alice_client):
    post = publish_post(alice.account, "oops")
    content = alice_client.post(f"/posts/{post.id}/delete/", **HTMX).content.decode()
    assert "This post was deleted." in content and "oops" not in content


def test_someone_else_cannot_delete(bob, alice_client):
    post = publish_post(bob.account, "bob's words")
    response = alice_client.post(f"/posts/{post.id}/delete/")
    assert response.status_code == 403
    assert "Only the author or a moderator" in response.content.decode()
    assert Post.objects.get(pk=post.pk).deleted_at is None


def test_author_sees_edit_and_delete_only_on_own_posts(alice, bob, alice_client):
    own = publish_post(alice.account, "mine")
    other = publish_post(bob.account, "theirs")
    assert f"/posts/{own.id}/edit/" in alice_client.get(own.get_absolute_url()).content.decode()
    theirs = alice_client.get(other.get_absolute_url()).content.decode()
    assert f"/posts/{other.id}/edit/" not in theirs


def test_signed_out_toggle_with_htmx_asks_for_a_full_page_login(bob, client):
    post = publish_post(bob.account, "nice")
    response = client.post(
        f"/posts/{post.id}/like/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="/organisation/"
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/login/?next=%2Forganisation%2F"
    response = client.post(f"/posts/{post.id}/like/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Like.objects.exists()
