"""Who is notified of what, exactly once, and what they may no longer see disappears."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import block_account, follow_account, mute_account
from voliere.notifications.actions import mark_read, notify_post_published
from voliere.notifications.models import Notification
from voliere.notifications.queries import unread_count, visible_notifications
from voliere.posts.actions import delete_post, like_post, publish_post, repost, unlike_post

pytestmark = pytest.mark.django_db


def kinds(account) -> list[tuple[str, str]]:
    return sorted((n.kind, n.actor.handle) for n in visible_notifications(account))


def test_each_interaction_notifies_once(alice, bob, run_on_commit):
    with run_on_commit():
        follow_account(bob.account, alice.account)
        post = publish_post(alice.account, "hi @bob")
        publish_post(bob.account, "@alice reply", in_reply_to=post)
        like_post(bob.account, post)
        unlike_post(bob.account, post)
        like_post(bob.account, post)  # redo: no second notification
        repost(bob.account, post)
        publish_post(bob.account, "quoting", quote_of=post)
    assert kinds(alice.account) == [
        ("follow", "bob"),
        ("like", "bob"),
        ("quote", "bob"),
        ("reply", "bob"),
        ("repost", "bob"),
    ]
    assert kinds(bob.account) == [("mention", "alice")]
    notify_post_published(post.id, [bob.account.id])  # the task run twice
    assert kinds(bob.account) == [("mention", "alice")]
    assert unread_count(alice.account) == 5
    mark_read(alice.account)
    assert unread_count(alice.account) == 0


def test_no_notification_from_blocked_or_muted_or_about_invisible_posts(
    alice, bob, carol, run_on_commit
):
    mute_account(alice.account, carol.account)
    block_account(alice.account, bob.account)
    with run_on_commit():
        publish_post(carol.account, "hey @alice")
        publish_post(bob.account, "hey @alice")
        publish_post(carol.account, "@alice private note", visibility="followers")
    assert kinds(alice.account) == []  # carol is muted, bob is blocked
    assert not Notification.objects.filter(recipient=alice.account).exists()
    with run_on_commit():
        secret = publish_post(carol.account, "for @bob only", visibility="direct")
    assert kinds(bob.account) == [("mention", "carol")]
    with run_on_commit():
        delete_post(carol.account, secret)
    assert kinds(bob.account) == []
    assert not Notification.objects.filter(post=secret).exists()
