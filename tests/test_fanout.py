"""Home timelines are materialized after commit, idempotently, for the right people."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import block_account, follow_account, mute_account, unfollow_account
from voliere.core.pagination import Cursor
from voliere.posts.actions import delete_post, publish_post, repost
from voliere.posts.models import Post
from voliere.timelines.fanout import fan_out_post
from voliere.timelines.models import TimelineEntry
from voliere.timelines.queries import home_timeline

pytestmark = pytest.mark.django_db


def home_texts(account) -> list[str]:
    return [p.shown.text for p in home_timeline(account, Cursor(limit=40))]


def test_post_reaches_author_and_followers_only_after_commit(alice, bob, carol, run_on_commit):
    follow_account(bob.account, alice.account)
    post = publish_post(alice.account, "before commit")
    assert not TimelineEntry.objects.filter(post=post).exists()  # nothing until commit
    with run_on_commit():
        publish_post(alice.account, "hello followers")
    assert home_texts(bob.account)[0] == "hello followers"
    assert home_texts(alice.account)[0] == "hello followers"
    assert "hello followers" not in home_texts(carol.account)


def test_fan_out_twice_inserts_nothing_more(alice, bob, run_on_commit):
    follow_account(bob.account, alice.account)
    with run_on_commit():
        post = publish_post(alice.account, "once")
    count = TimelineEntry.objects.filter(post=post).count()
    assert count == 2
    fan_out_post(post.id)
    assert TimelineEntry.objects.filter(post=post).count() == count


def test_direct_post_reaches_only_mentioned(alice, bob, carol, run_on_commit):
    follow_account(carol.account, alice.account)
    with run_on_commit():
        publish_post(alice.account, "psst @bob", visibility="direct")
    assert home_texts(bob.account) == ["psst @bob"]
    assert home_texts(carol.account) == []


def test_reply_to_someone_else_reaches_only_followers_of_both(
    alice, bob, carol, make_user, run_on_commit
):
    dave = make_user("dave").account
    for follower in (carol.account, dave):
        follow_account(follower, bob.account)
    follow_account(carol.account, alice.account)
    with run_on_commit():
        parent = publish_post(alice.account, "question")
        publish_post(bob.account, "@alice answer", in_reply_to=parent)
    assert "@alice answer" in home_texts(carol.account)
    assert "@alice answer" not in home_texts(dave)


def test_unfollow_block_mute_and_delete_clean_the_home(alice, bob, carol, run_on_commit):
    with run_on_commit():
        follow_account(bob.account, alice.account)
        follow_account(bob.account, carol.account)
    with run_on_commit():
        publish_post(alice.account, "from alice")
        carols = publish_post(carol.account, "from carol")
        repost(alice.account, carols)
    # alice's repost of carol's post is not shown again: bob already has the original
    assert sorted(home_texts(bob.account)) == ["from alice", "from carol"]
    mute_account(bob.account, carol.account)
    assert home_texts(bob.account) == ["from alice"]
    with run_on_commit():
        unfollow_account(bob.account, alice.account)
    assert home_texts(bob.account) == []
    with run_on_commit():
        follow_account(bob.account, alice.account)  # backfills alice's recent posts
    assert "from alice" in home_texts(bob.account)
    with run_on_commit():
        block_account(alice.account, bob.account)
    assert home_texts(bob.account) == []
    with run_on_commit():
        delete_post(carol.account, carols)
    assert not TimelineEntry.objects.filter(post=carols).exists()


def test_pages_never_skip_or_repeat_while_posts_arrive(alice, bob, run_on_commit):
    follow_account(bob.account, alice.account)
    with run_on_commit():
        for i in range(25):
            publish_post(alice.account, f"post {i}")
    seen: list[str] = []
    cursor = Cursor(limit=10)
    while True:
        page = home_timeline(bob.account, cursor)
        seen.extend(p.shown.text for p in page)
        with run_on_commit():
            publish_post(alice.account, f"late {len(seen)}")  # arrives while paging
        if page.next_max_id is None:
            break
        cursor = Cursor(limit=10, max_id=page.next_max_id)
    assert seen == [f"post {i}" for i in reversed(range(25))]
    # min_id from the newest post seen: exactly the posts that arrived meanwhile, oldest
    # page first but shown newest first, none of them repeated.
    first_page_top = max(p.id for p in home_timeline(bob.account, Cursor(limit=1)))
    newest_seen = Post.objects.get(text="post 24").id
    newer = home_timeline(bob.account, Cursor(limit=40, min_id=newest_seen))
    assert [p.shown.text for p in newer] == ["late 25", "late 20", "late 10"]
    assert newer.items[0].id == first_page_top


def test_repost_reaches_followers_who_lack_the_original(alice, bob, carol, run_on_commit):
    with run_on_commit():
        follow_account(bob.account, alice.account)
        carols = publish_post(carol.account, "carol's news")
        boost = repost(alice.account, carols)
    assert [p.id for p in home_timeline(bob.account, Cursor(limit=40))] == [boost.id]
    assert home_texts(bob.account) == ["carol's news"]


def test_secret_community_post_reaches_only_member_followers(alice, bob, carol, run_on_commit):
    from voliere.communities.actions import (
        accept_invitation,
        create_community,
        invite_to_community,
    )

    secret = create_community(alice.account, name="Project Falcon", kind="secret")
    invite_to_community(alice.account, secret, bob.account)
    accept_invitation(bob.account, secret)
    follow_account(bob.account, alice.account)
    follow_account(carol.account, alice.account)
    with run_on_commit():
        post = publish_post(alice.account, "falcon status", community=secret)
    owners = set(TimelineEntry.objects.filter(post=post).values_list("owner_id", flat=True))
    assert owners == {alice.account.pk, bob.account.pk}
