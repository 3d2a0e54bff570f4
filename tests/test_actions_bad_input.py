"""Bad input to actions: a clear error naming the field, and nothing half-saved."""

from __future__ import annotations

import pytest
from django.test import override_settings

from voliere.accounts.actions import register_person
from voliere.accounts.models import Account, User
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.posts.actions import edit_post, like_post, publish_post
from voliere.posts.models import Hashtag, Post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "cannot be empty"), ("   \n ", "cannot be empty"), ("x" * 501, "at most 500 characters")],
)
def test_empty_or_too_long_post_is_refused(alice, text, message):
    with pytest.raises(InvalidInput) as error:
        publish_post(alice.account, text)
    assert message in error.value.message
    assert error.value.field == "text"
    assert not Post.objects.exists()


def test_post_limit_is_configurable(alice):
    with override_settings(POST_MAX_CHARS=10), pytest.raises(InvalidInput):
        publish_post(alice.account, "eleven char")


def test_bad_visibility_and_language(alice):
    with pytest.raises(InvalidInput) as error:
        publish_post(alice.account, "#tag text", visibility="everyone")
    assert error.value.field == "visibility"
    with pytest.raises(InvalidInput) as error:
        publish_post(alice.account, "#tag text", language="<b>")
    assert error.value.field == "language"
    assert not Post.objects.exists() and not Hashtag.objects.exists()


def test_cannot_reply_to_like_or_edit_what_one_cannot_see(alice, bob):
    secret = publish_post(alice.account, "mine", visibility="direct")
    with pytest.raises(NotFound):
        publish_post(bob.account, "sneaky", in_reply_to=secret)
    with pytest.raises(NotFound):
        like_post(bob.account, secret)
    with pytest.raises(NotFound):
        edit_post(bob.account, secret, "hijack")
    assert Post.objects.count() == 1 and Post.objects.get().text == "mine"


@pytest.mark.parametrize(
    ("handle", "field"),
    [
        ("bad handle", "handle"),
        ("x" * 31, "handle"),
        ("admin", "handle"),
        ("ALICE", "handle"),
        ("", "handle"),
    ],
)
def test_invalid_or_duplicate_handle(alice, handle, field):
    with pytest.raises(InvalidInput) as error:
        register_person(handle=handle, email="new@example.org", password="a long passphrase 77")
    assert error.value.field == field
    assert Account.objects.count() == 1 and User.objects.count() == 1


def test_duplicate_email_is_case_insensitive(alice):
    with pytest.raises(InvalidInput) as error:
        register_person(handle="other", email="ALICE@example.org", password="a long passphrase 77")
    assert error.value.field == "email"
    assert not Account.objects.filter(handle="other").exists()


def test_edit_keeps_history(alice):
    post = publish_post(alice.account, "first #one")
    edit_post(alice.account, post, "second #two")
    post.refresh_from_db()
    assert post.text == "second #two" and post.edited_at is not None
    assert [r.text for r in post.revisions.all()] == ["first #one"]
    assert list(post.hashtag_links.values_list("hashtag__name", flat=True)) == ["two"]


def test_edit_refuses_an_overlong_content_warning(alice):
    post = publish_post(alice.account, "text")
    with pytest.raises(InvalidInput) as error:
        edit_post(alice.account, post, "text", spoiler_text="x" * 201)
    assert error.value.field == "spoiler_text"
    post.refresh_from_db()
    assert post.spoiler_text == "" and not post.revisions.exists()


def test_quoting_a_repost_quotes_the_original(alice, bob, carol):
    from voliere.posts.actions import repost, undo_repost

    original = publish_post(alice.account, "original")
    boost = repost(bob.account, original)
    quote = publish_post(carol.account, "look", quote_of=boost)
    assert quote.quote_of_id == original.id
    undo_repost(bob.account, boost)
    quote.refresh_from_db()
    assert quote.quote_of_id == original.id


@pytest.mark.parametrize("raw", ["²", "٣", "-1", "1e3", "abc"])
def test_cursor_refuses_non_ascii_or_signed_numbers(raw):
    from voliere.core.pagination import Cursor

    for name in ("max_id", "limit"):
        with pytest.raises(InvalidInput) as error:
            Cursor.from_params({name: raw})
        assert error.value.field == name
