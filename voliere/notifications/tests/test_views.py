"""The notifications page, the unread badge and "mark all read", through HTTP."""

from __future__ import annotations

import pytest
from django.test import Client

from voliere.accounts.actions import block_account, follow_account, mute_account
from voliere.notifications.actions import notify
from voliere.notifications.models import Notification
from voliere.posts.actions import like_post, publish_post, repost


@pytest.fixture
def busy_alice(alice, bob, carol, run_on_commit):
    """Alice gets one notification of each kind from Bob, and a mention from Carol."""
    with run_on_commit():
        post = publish_post(alice.account, "alice's post")
        like_post(bob.account, post)
        repost(bob.account, post)
        publish_post(bob.account, "@alice answering", in_reply_to=post)
        publish_post(bob.account, "quoting it", quote_of=post)
        follow_account(bob.account, alice.account)
        publish_post(carol.account, "hey @alice look")
    return alice


def test_each_kind_says_who_did_what(busy_alice, login):
    response = login(busy_alice).get("/notifications/")
    content = response.content.decode()
    assert response.status_code == 200
    for line in (
        "@bob liked your post",
        "@bob reposted your post",
        "@bob replied to you",
        "@bob quoted your post",
        "@bob followed you",
        "@carol mentioned you",
    ):
        assert line in content, line
    assert content.index("@carol mentioned you") < content.index("@bob liked your post")
    assert 'hey <a class="mention" href="/@alice/">@alice</a> look' in content  # the post


def test_viewing_highlights_unread_then_the_page_marks_them_read_by_post(busy_alice, login):
    client = login(busy_alice)
    page = client.get("/notifications/")
    assert content_count(page, "notification card unread") == 6
    unread = Notification.objects.filter(recipient=busy_alice.account, read_at=None)
    assert unread.count() == 6  # a GET changes nothing
    newest = max(unread.values_list("id", flat=True))
    assert f'hx-vals=\'{{"up_to_id": "{newest}"}}\'' in page.content.decode()
    badge = client.post("/notifications/read/", {"up_to_id": newest}, HTTP_HX_REQUEST="true")
    assert badge.content.decode().startswith('<span class="badge" id="unread-count"')
    assert not unread.exists()
    assert content_count(client.get("/notifications/"), "notification card unread") == 0


def test_mark_read_refuses_a_malformed_id(busy_alice, login):
    response = login(busy_alice).post("/notifications/read/", {"up_to_id": "²"})
    assert response.status_code == 400


def content_count(response, needle: str) -> int:
    return response.content.decode().count(needle)


def test_mentions_filter_keeps_mentions_and_replies(busy_alice, login):
    content = login(busy_alice).get("/notifications/?filter=mentions").content.decode()
    assert "@carol mentioned you" in content and "@bob replied to you" in content
    assert "liked your post" not in content and "followed you" not in content
    unread = Notification.objects.filter(recipient=busy_alice.account, read_at=None)
    assert unread.filter(kind="like").exists()  # not shown on this tab, so not read


def test_badge_counts_unread_and_keeps_polling(busy_alice, login):
    client = login(busy_alice)
    badge = client.get("/notifications/count/").content.decode().strip()
    assert badge.startswith('<span class="badge" id="unread-count"')
    assert 'hx-get="/notifications/count/"' in badge and 'hx-trigger="every 30s"' in badge
    assert ">6<" in badge
    client.post("/notifications/read/")
    badge = client.get("/notifications/count/").content.decode().strip()
    assert badge.endswith("></span>")  # empty: the badge hides itself


def test_badge_for_anonymous_is_empty_and_stops_polling(db, client):
    badge = client.get("/notifications/count/").content.decode().strip()
    assert badge.startswith('<span class="badge" id="unread-count"')
    assert badge.endswith("></span>") and "hx-get" not in badge


def test_mark_all_read(busy_alice, login):
    client = login(busy_alice)
    response = client.post("/notifications/read/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert not Notification.objects.filter(recipient=busy_alice.account, read_at=None).exists()
    assert client.get("/notifications/read/").status_code == 405


def test_notifications_need_login(db, client):
    assert client.get("/notifications/").status_code == 302
    assert client.post("/notifications/read/").status_code == 302


def test_blocked_and_muted_actors_disappear(busy_alice, bob, carol, login, run_on_commit):
    with run_on_commit():
        block_account(busy_alice.account, bob.account)
        mute_account(busy_alice.account, carol.account)
    content = login(busy_alice).get("/notifications/").content.decode()
    assert "@bob" not in content and "@carol" not in content
    assert "No notifications yet." in content


def test_malformed_cursor_is_400(alice, login):
    response = login(alice).get("/notifications/?max_id=abc")
    assert response.status_code == 400
    assert "max_id must be" in response.content.decode()


def test_query_count_does_not_grow_with_notifications(make_user, django_assert_num_queries):
    counts = []
    for size in (5, 40):
        me = make_user()
        post = publish_post(me.account, "popular")
        for _ in range(size):
            fan = make_user()
            notify(recipient_id=me.account.id, actor_id=fan.account.id, kind="like",
                   post_id=post.id)
        client = Client()
        client.force_login(me)
        with django_assert_num_queries(3) as captured:
            assert client.get("/notifications/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
