"""The single visibility rule (`Post.objects.visible_to`) over every visibility and viewer."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import block_account, follow_account
from voliere.posts.actions import publish_post, repost
from voliere.posts.models import Post

pytestmark = pytest.mark.django_db

VISIBILITIES = ["public", "internal", "followers", "direct"]
# viewer -> the visibilities that viewer may see
EXPECTED = {
    "anonymous": {"public"},
    "stranger": {"public", "internal"},
    "follower": {"public", "internal", "followers"},
    "mentioned": {"public", "internal", "followers", "direct"},
    "author": {"public", "internal", "followers", "direct"},
    "blocked": set(),
}


@pytest.fixture
def cast(make_user):
    author = make_user("author").account
    people = {
        "stranger": make_user("stranger").account,
        "follower": make_user("follower").account,
        "mentioned": make_user("mentioned").account,
        "blocked": make_user("blocked").account,
    }
    follow_account(people["follower"], author)
    follow_account(people["blocked"], author)
    block_account(author, people["blocked"])
    posts = {
        v: publish_post(author, f"secret-{v} hello @mentioned", visibility=v) for v in VISIBILITIES
    }
    people["author"] = author
    people["anonymous"] = None
    return people, posts


@pytest.mark.parametrize("viewer", list(EXPECTED))
def test_each_viewer_sees_exactly_the_allowed_visibilities(cast, viewer):
    people, posts = cast
    seen = set(
        Post.objects.visible_to(people[viewer])
        .filter(pk__in=[p.pk for p in posts.values()])
        .values_list("visibility", flat=True)
    )
    assert seen == EXPECTED[viewer]


def test_deleted_and_suspended_posts_are_invisible_to_everyone(cast):
    from voliere.accounts.models import Account
    from voliere.posts.actions import delete_post

    people, posts = cast
    delete_post(people["author"], posts["public"])
    assert not Post.objects.visible_to(people["author"]).filter(pk=posts["public"].pk).exists()
    Account.objects.filter(pk=people["author"].pk).update(is_suspended=True)
    assert not Post.objects.visible_to(people["follower"]).filter(author=people["author"]).exists()


def test_repost_of_a_blocking_author_is_hidden(make_user):
    author, reposter, viewer = (make_user(h).account for h in ("au", "re", "vi"))
    original = publish_post(author, "original text")
    boost = repost(reposter, original)
    assert Post.objects.visible_to(viewer).filter(pk=boost.pk).exists()
    block_account(author, viewer)
    assert not Post.objects.visible_to(viewer).filter(pk=boost.pk).exists()


def test_followers_only_and_direct_posts_cannot_be_reposted_or_quoted(cast):
    from voliere.core.exceptions import InvalidInput

    people, posts = cast
    for visibility in ("followers", "direct"):
        with pytest.raises(InvalidInput):
            repost(people["mentioned"], posts[visibility])
        with pytest.raises(InvalidInput):
            publish_post(people["mentioned"], "quoting", quote_of=posts[visibility])


def test_deleted_private_parent_leaves_no_tombstone(alice, bob, carol):
    from voliere.posts.actions import delete_post
    from voliere.posts.threads import thread_for

    secret = publish_post(alice.account, "for @carol", visibility="direct")
    reply = publish_post(carol.account, "@alice answer in public", in_reply_to=secret)
    public_parent = publish_post(alice.account, "public parent")
    public_reply = publish_post(carol.account, "public answer", in_reply_to=public_parent)
    delete_post(alice.account, secret)
    delete_post(alice.account, public_parent)
    assert thread_for(None, reply).ancestors == []
    assert thread_for(bob.account, reply).ancestors == []
    assert [p.id for p in thread_for(None, public_reply).ancestors] == [public_parent.id]


def test_reply_count_reveals_only_replies_open_to_all_members(alice, bob):
    from voliere.posts.actions import delete_post

    parent = publish_post(alice.account, "question")
    publish_post(bob.account, "@alice private", in_reply_to=parent, visibility="direct")
    publish_post(bob.account, "@alice followers", in_reply_to=parent, visibility="followers")
    public = publish_post(bob.account, "@alice public", in_reply_to=parent)
    parent.refresh_from_db()
    assert parent.replies_count == 1
    delete_post(bob.account, public)
    parent.refresh_from_db()
    assert parent.replies_count == 0


def test_reposts_of_a_suspended_author_disappear(alice, bob, carol):
    from voliere.accounts.actions import suspend_account

    original = publish_post(alice.account, "soon suspended")
    boost = repost(bob.account, original)
    assert Post.objects.visible_to(None).filter(pk=boost.pk).exists()
    suspend_account(alice.account)
    for viewer in (None, carol.account, bob.account):
        assert not Post.objects.visible_to(viewer).filter(pk=boost.pk).exists()
