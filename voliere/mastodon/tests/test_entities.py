"""Entity shapes against Mastodon's documented field lists, and the batch serializer's
query counts (constant whatever the number of statuses)."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory

from voliere.accounts.actions import follow_account, update_profile
from voliere.mastodon import entities
from voliere.polls.actions import PollSpec, create_poll
from voliere.posts.actions import bookmark_post, like_post, publish_post, repost
from voliere.posts.models import Post

pytestmark = pytest.mark.django_db

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
# https://docs.joinmastodon.org/entities/Account/ (attributes always present)
ACCOUNT_FIELDS = {
    "id", "username", "acct", "url", "uri", "display_name", "note", "avatar", "avatar_static",
    "header", "header_static", "locked", "fields", "emojis", "bot", "group", "discoverable",
    "indexable", "hide_collections", "noindex", "roles", "created_at", "last_status_at",
    "statuses_count", "followers_count", "following_count",
}
# https://docs.joinmastodon.org/entities/Status/ (always present)
STATUS_FIELDS = {
    "id", "uri", "created_at", "account", "content", "visibility", "sensitive", "spoiler_text",
    "media_attachments", "mentions", "tags", "emojis", "reblogs_count", "favourites_count",
    "replies_count", "url", "in_reply_to_id", "in_reply_to_account_id", "reblog", "poll",
    "card", "language", "edited_at",
}
# Present only when a user's token is used.
VIEWER_FIELDS = {"favourited", "reblogged", "muted", "bookmarked", "filtered"}


@pytest.fixture
def request_():
    return RequestFactory().get("/api/v1/statuses", HTTP_HOST="testserver")


@pytest.fixture(autouse=True)
def _cold_caches():
    entities.clear_caches()
    yield
    entities.clear_caches()


def test_account_shape(alice, request_):
    update_profile(alice.account, bio="Hello <b>world</b>\nsecond line")
    publish_post(alice.account, "first")
    alice.account.refresh_from_db()
    data = entities.account_json(alice.account, request_)
    assert set(data) == ACCOUNT_FIELDS
    assert data["id"] == str(alice.account.id)
    assert data["username"] == data["acct"] == "alice"
    assert data["url"] == "http://testserver/@alice/" or data["url"].startswith("http://testserver/")
    assert data["note"] == "<p>Hello &lt;b&gt;world&lt;/b&gt;<br>second line</p>"
    assert data["avatar"].startswith("http://testserver/static/")
    assert ISO.match(data["created_at"])
    assert re.match(r"^\d{4}-\d\d-\d\d$", data["last_status_at"])
    assert data["statuses_count"] == 1
    assert data["locked"] is False


def test_credential_account_has_source(alice, request_):
    update_profile(alice.account, bio="raw *bio*")
    data = entities.credential_account_json(alice.account, request_)
    assert data["source"]["note"] == "raw *bio*"
    assert {"privacy", "sensitive", "language", "note", "fields"} <= set(data["source"])


def test_status_shape_and_viewer_flags(alice, bob, request_):
    post = publish_post(bob.account, "hello @alice #News", visibility="internal",
                        spoiler_text="cw", language="en")
    like_post(alice.account, post)
    bookmark_post(alice.account, post)
    post = Post.objects.for_display().get(pk=post.pk)
    anonymous = entities.status_json(post, None, request_)
    assert set(anonymous) == STATUS_FIELDS
    assert anonymous["visibility"] == "unlisted"
    assert anonymous["sensitive"] is True
    assert anonymous["spoiler_text"] == "cw"
    assert anonymous["language"] == "en"
    assert anonymous["mentions"] == [{
        "id": str(alice.account.id), "username": "alice", "acct": "alice",
        "url": anonymous["mentions"][0]["url"],
    }]
    assert [t["name"] for t in anonymous["tags"]] == ["news"]
    assert anonymous["favourites_count"] == 1
    seen = entities.status_json(post, alice.account, request_)
    assert set(seen) == STATUS_FIELDS | VIEWER_FIELDS
    assert seen["favourited"] is True and seen["bookmarked"] is True
    assert seen["reblogged"] is False
    own = entities.status_json(post, bob.account, request_)
    assert own["pinned"] is False and "application" in own


def test_reblog_wraps_original(alice, bob, carol, request_):
    original = publish_post(bob.account, "worth it")
    boost = repost(carol.account, original)
    boost = Post.objects.for_display().get(pk=boost.pk)
    data = entities.status_json(boost, carol.account, request_)
    assert data["id"] == str(boost.id)
    assert data["account"]["id"] == str(carol.account.id)
    assert data["content"] == ""
    assert data["reblog"]["id"] == str(original.id)
    assert data["reblog"]["account"]["id"] == str(bob.account.id)
    assert data["reblogged"] is True and data["reblog"]["reblogged"] is True


def test_poll_in_status(alice, bob, request_):
    post = publish_post(bob.account, "vote?")
    create_poll(post, PollSpec(options=["yes", "no"], expires_in=3600))
    data = entities.status_json(Post.objects.for_display().get(pk=post.pk), alice.account,
                                request_)
    poll = data["poll"]
    assert [o["title"] for o in poll["options"]] == ["yes", "no"]
    assert poll["voted"] is False and poll["own_votes"] == []
    assert ISO.match(poll["expires_at"]) and poll["expired"] is False


def _page(author, n):
    return list(Post.objects.filter(author=author).for_display().order_by("-id")[:n])


def test_statuses_json_queries_do_not_grow(alice, bob, carol, request_,
                                           django_assert_num_queries):
    follow_account(alice.account, bob.account)
    for n in range(40):
        post = publish_post(bob.account, f"post {n} @carol #tag{n % 3}")
        if n % 2:
            like_post(alice.account, post)
    for n in (5, 40):
        entities.clear_caches()
        posts = _page(bob.account, n)
        # cold: last-status days, mentions, tags, media, polls; then the viewer's flags.
        with django_assert_num_queries(6):
            rendered = entities.statuses_json(posts, alice.account, request_)
        assert len(rendered) == n
        # warm: the viewer's flags only.
        with django_assert_num_queries(1):
            entities.statuses_json(posts, alice.account, request_)


def test_notifications_json_is_reachable_from_entities(alice, bob, request_):
    from conftest import committed
    from voliere.notifications.models import Notification

    with committed():
        post = publish_post(bob.account, "hi @alice")
    notification = Notification.objects.get(recipient=alice.account)
    [data] = entities.notifications_json([notification], alice.account, request_)
    assert data["type"] == "mention"
    assert data["status"]["id"] == str(post.id)
    assert data["account"]["id"] == str(bob.account.id)
