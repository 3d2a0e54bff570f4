"""The demo seeder on a small company: what it writes is what the actions would have written."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from django.contrib.auth import authenticate
from django.db.models import Q

from voliere.accounts.actions import instance_organisation
from voliere.accounts.models import Account, AccountSkill, Endorsement, Follow, Role, User
from voliere.demo.people import DEMO_LOGINS, DEMO_PASSWORD
from voliere.demo.seed import demo_logins, seed_demo
from voliere.notifications.actions import dedup_key
from voliere.notifications.models import Notification
from voliere.posts.actions import COUNTED_REPLIES
from voliere.posts.models import Like, Mention, Post, PostHashtag, Visibility
from voliere.posts.rendering import render_post_text
from voliere.timelines.fanout import fan_out_post
from voliere.timelines.models import TimelineEntry

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
SCALE = 0.04


@pytest.fixture
def seeded(db):
    result = seed_demo(scale=SCALE, now=NOW)
    assert result.created
    return result


def _entries() -> set[tuple[int, int]]:
    return set(TimelineEntry.objects.values_list("owner_id", "post_id"))


def test_company_shape(seeded):
    acme = Account.objects.get(handle_lower="acme")
    assert instance_organisation() == acme
    assert set(Account.objects.filter(organisation=acme, kind="affiliated")
               .values_list("handle", flat=True)) == {"acme_france", "acme_germany",
                                                      "acme_research"}
    assert Account.objects.filter(kind="organisation").count() == 5
    assert Account.objects.filter(organisation=acme, kind="person",
                                  employment_verified=True).count() >= 10
    most_followed = Account.objects.order_by("-followers_count").first()
    assert most_followed == acme
    languages = Counter(Post.objects.exclude(language="").values_list("language", flat=True))
    assert set(languages) == {"fr", "en"}
    visibilities = set(Post.objects.values_list("visibility", flat=True))
    assert visibilities == set(Visibility.values)
    assert Post.objects.filter(in_reply_to__isnull=False).exists()
    assert Post.objects.filter(reblog_of__author=acme, author__kind="affiliated").exists()
    assert all(not p.created_at > NOW for p in Post.objects.only("created_at"))


def test_denormalized_counters_equal_real_counts(seeded):
    live = Post.objects.filter(deleted_at__isnull=True)
    posts = Counter(live.values_list("author_id", flat=True))
    followers = Counter(Follow.objects.values_list("followee_id", flat=True))
    following = Counter(Follow.objects.values_list("follower_id", flat=True))
    for account in Account.objects.all():
        assert account.posts_count == posts[account.id], account.handle
        assert account.followers_count == followers[account.id], account.handle
        assert account.following_count == following[account.id], account.handle
    replies = Counter(
        live.exclude(in_reply_to=None)
        .filter(visibility__in=COUNTED_REPLIES)
        .values_list("in_reply_to_id", flat=True)
    )
    reblogs = Counter(Post.objects.exclude(reblog_of=None).values_list("reblog_of_id", flat=True))
    likes = Counter(Like.objects.values_list("post_id", flat=True))
    for post in Post.objects.only("replies_count", "reblogs_count", "likes_count"):
        assert (post.replies_count, post.reblogs_count, post.likes_count) == (
            replies[post.id], reblogs[post.id], likes[post.id]
        )
    endorsements = Counter(Endorsement.objects.values_list("account_skill_id", flat=True))
    for holding in AccountSkill.objects.all():
        assert holding.endorsements_count == endorsements[holding.id]
    assert Endorsement.objects.exists()


def test_posts_are_stored_as_publishing_would(seeded):
    """ids from creation times, HTML/mentions/hashtags from render_post_text, threads."""
    posts = {p.id: p for p in Post.objects.all()}
    mentions: dict[int, set[int]] = {}
    for post_id, account_id in Mention.objects.values_list("post_id", "account_id"):
        mentions.setdefault(post_id, set()).add(account_id)
    tags: dict[int, set[str]] = {}
    for post_id, name in PostHashtag.objects.values_list("post_id", "hashtag__name"):
        tags.setdefault(post_id, set()).add(name)
    assert mentions and tags
    for post in posts.values():
        assert post.id >> 16 == int(post.created_at.timestamp() * 1000)
        if post.reblog_of_id:
            assert post.text == "" and post.conversation_id == post.id
            assert post.visibility == posts[post.reblog_of_id].visibility
            continue
        rendered = render_post_text(post.text)
        assert post.content_html == rendered.html
        assert mentions.get(post.id, set()) == {a.id for a in rendered.mentioned}
        assert tags.get(post.id, set()) == set(rendered.hashtags)
        if post.in_reply_to_id:
            parent = posts[post.in_reply_to_id]
            assert post.id > parent.id
            assert post.conversation_id == parent.conversation_id
            assert post.in_reply_to_account_id == parent.author_id
        else:
            assert post.conversation_id == post.id
    assert Post.objects.filter(reblog_of__isnull=False).values("author", "reblog_of").distinct() \
        .count() == Post.objects.filter(reblog_of__isnull=False).count()


def test_home_timelines_equal_fan_out_post_of_every_post(seeded):
    materialized = _entries()
    assert len(materialized) > Post.objects.count()
    TimelineEntry.objects.all().delete()
    for post_id in Post.objects.order_by("id").values_list("id", flat=True):  # publishing order
        fan_out_post(post_id)
    assert _entries() == materialized


def test_direct_posts_reach_only_author_and_mentioned(seeded):
    direct = Post.objects.filter(visibility=Visibility.DIRECT)
    assert direct.exists()
    allowed = {(p.author_id, p.id) for p in direct}
    allowed |= set(Mention.objects.filter(post__in=direct).values_list("account_id", "post_id"))
    reached = set(TimelineEntry.objects.filter(post__in=direct).values_list("owner_id", "post_id"))
    assert reached and reached <= allowed


def test_every_timeline_entry_is_visible_to_its_owner(seeded):
    by_owner: dict[int, set[int]] = {}
    for owner_id, post_id in _entries():
        by_owner.setdefault(owner_id, set()).add(post_id)
    for owner in Account.objects.filter(id__in=by_owner):
        visible = set(Post.objects.visible_to(owner).filter(id__in=by_owner[owner.id])
                      .values_list("id", flat=True))
        assert visible == by_owner[owner.id], owner.handle


def test_demo_logins_sign_in_with_their_roles_and_notifications(seeded):
    for login in demo_logins():
        assert login.password == DEMO_PASSWORD
        user = authenticate(username=login.email, password=login.password)
        assert user is not None, login.email
        unread = Notification.objects.filter(recipient=user.account, read_at__isnull=True)
        assert unread.exists(), login.email
    admin = User.objects.get(email=DEMO_LOGINS[1][1])
    assert admin.role == Role.ADMIN and admin.is_superuser and admin.is_staff
    manager = User.objects.get(email=DEMO_LOGINS[2][1])
    managed = set(manager.organisation_roles.values_list("organisation__handle", flat=True))
    assert "acme" in managed
    assert authenticate(username=DEMO_LOGINS[0][1], password="wrong password") is None


def test_notifications_follow_the_notify_rules(seeded):
    notifications = list(Notification.objects.all())
    assert {n.kind for n in notifications} >= {"mention", "like", "follow", "reply"}
    follows = set(Follow.objects.values_list("follower_id", "followee_id"))
    visible = {
        owner.id: set(Post.objects.visible_to(owner).values_list("id", flat=True))
        for owner in Account.objects.filter(notifications__isnull=False).distinct()
    }
    for n in notifications:
        assert n.recipient_id != n.actor_id
        assert n.dedup_key == dedup_key(
            kind=n.kind,
            recipient_id=n.recipient_id,
            actor_id=n.actor_id,
            post_id=n.post_id,
            subject_type=n.subject_type,
            subject_id=n.subject_id,
        )
        if n.post_id:
            assert n.post_id in visible[n.recipient_id]
        elif n.kind == "follow":
            assert (n.actor_id, n.recipient_id) in follows
        else:  # about a community, an article, a question...: one the recipient may see
            assert n.subject_type and n.subject_id is not None


def test_second_seed_changes_nothing(seeded):
    before = (Account.objects.count(), Post.objects.count(), TimelineEntry.objects.count(),
              Like.objects.count(), Notification.objects.count())
    again = seed_demo(scale=SCALE, now=NOW)
    assert not again.created
    assert (Account.objects.count(), Post.objects.count(), TimelineEntry.objects.count(),
            Like.objects.count(), Notification.objects.count()) == before


def test_nothing_is_seeded_beside_an_existing_acme(db, make_user):
    from voliere.accounts.actions import create_organisation

    create_organisation(handle="acme", display_name="Acme")
    assert not seed_demo(scale=SCALE, now=NOW).created
    assert not Post.objects.exists()
    assert not Account.objects.filter(~Q(handle_lower="acme")).exists()
