"""Side column: trending hashtags (never counting posts the scope may not see) and
who-to-follow suggestions, through the reads and through the HTTP fragment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from voliere.accounts.actions import block_account, follow_account
from voliere.core.ids import id_for_time
from voliere.posts.actions import publish_post
from voliere.posts.models import Hashtag, Post, PostHashtag
from voliere.timelines import sidebar


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def counts(tags) -> dict[str, int]:
    return {tag.name: tag.posts for tag in tags}


def test_trending_counts_only_what_the_scope_may_see(alice, bob):
    publish_post(alice.account, "#open one", visibility="public")
    publish_post(bob.account, "#open two", visibility="public")
    publish_post(alice.account, "#open #inside", visibility="internal")
    publish_post(alice.account, "#secret for followers", visibility="followers")
    publish_post(alice.account, "#secret @bob", visibility="direct")

    members = counts(sidebar.trending_hashtags(alice.account))
    assert members == {"open": 3, "inside": 1}
    assert list(members) == ["open", "inside"]  # most used first
    assert counts(sidebar.trending_hashtags(None)) == {"open": 2}


def test_trending_never_counts_secret_community_posts(alice):
    from voliere.communities.actions import create_community

    secret = create_community(alice.account, name="Project Falcon", kind="secret")
    open_one = create_community(alice.account, name="Cyclists", kind="open")
    publish_post(alice.account, "#falcon launch plan", visibility="public", community=secret)
    publish_post(alice.account, "#bikes ride on Sunday", visibility="public", community=open_one)
    assert counts(sidebar.count_trending_hashtags(("public", "internal"))) == {"bikes": 1}


def test_trending_ignores_posts_older_than_seven_days_and_deleted_ones(alice):
    old_id = id_for_time(timezone.now() - timedelta(days=8), 1)
    old = Post.objects.create(id=old_id, conversation_id=old_id, author=alice.account, text="#old")
    PostHashtag.objects.create(post=old, hashtag=Hashtag.objects.create(name="old"))
    gone = publish_post(alice.account, "#gone soon")
    Post.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    publish_post(alice.account, "#fresh news")
    assert counts(sidebar.count_trending_hashtags(("public", "internal"))) == {"fresh": 1}


def test_trending_is_cached_per_scope(alice):
    publish_post(alice.account, "#first", visibility="public")
    assert counts(sidebar.trending_hashtags(alice.account)) == {"first": 1}
    publish_post(alice.account, "#second", visibility="public")
    assert counts(sidebar.trending_hashtags(alice.account)) == {"first": 1}  # cached
    assert counts(sidebar.trending_hashtags(None)) == {"first": 1, "second": 1}  # own key


def test_suggestions_exclude_self_followed_blocked_and_suspended(make_user, alice):
    viewer = alice.account
    followed, blocked, blocker, suspended, stranger = (make_user().account for _ in range(5))
    follow_account(viewer, followed)
    block_account(viewer, blocked)
    block_account(blocker, viewer)
    suspended.is_suspended = True
    suspended.save(update_fields=["is_suspended"])

    suggested = sidebar.follow_suggestions(viewer)
    assert suggested == [stranger]


def test_suggestions_rank_friends_of_friends_then_most_followed(make_user, alice):
    viewer = alice.account
    friend1, friend2, popular, fof_one, fof_two = (make_user().account for _ in range(5))
    for friend in (friend1, friend2):
        follow_account(viewer, friend)
    follow_account(friend1, fof_two)
    follow_account(friend2, fof_two)
    follow_account(friend1, fof_one)
    for fan in (make_user().account for _ in range(3)):
        follow_account(fan, popular)

    suggested = sidebar.follow_suggestions(viewer, limit=3)
    assert suggested == [fof_two, fof_one, popular]


def test_new_member_gets_the_most_followed_accounts(make_user, alice):
    popular, other = make_user().account, make_user().account
    follow_account(other, popular)
    assert sidebar.follow_suggestions(alice.account, limit=1) == [popular]


def test_anonymous_visitor_gets_trending_but_no_suggestions(alice, bob):
    publish_post(alice.account, "#hello world", visibility="public")
    assert sidebar.follow_suggestions(None) == []
    response = Client().get("/sidebar/")
    assert response.status_code == 200
    assert response.context["suggestions"] == []
    content = response.content.decode()
    assert "#hello" in content and "Who to follow" not in content
    assert "/people/" in content


def test_sidebar_fragment_for_a_member(alice, bob, login):
    publish_post(bob.account, "#launch day", visibility="internal")
    response = login(alice).get("/sidebar/?next=/organisation/")
    content = response.content.decode()
    assert "<html" not in content
    assert 'href="/tags/launch/"' in content and "1 post" in content
    assert "Who to follow" in content and f'action="/@{bob.account.handle}/follow/"' in content
    assert 'name="next" value="/organisation/"' in content


def test_sidebar_next_never_leaves_the_site(alice, login):
    response = login(alice).get("/sidebar/?next=https://evil.example/")
    assert response.context["next"] == "/"


def test_timeline_pages_load_the_side_column_and_others_do_not(alice, login):
    client = login(alice)
    for url in ("/", "/organisation/", "/tags/x/", f"/@{alice.account.handle}/"):
        assert 'hx-get="/sidebar/' in client.get(url).content.decode(), url
    for url in ("/notifications/", "/bookmarks/", "/people/"):
        assert 'hx-get="/sidebar/' not in client.get(url).content.decode(), url


def test_cached_suggestions_drop_accounts_followed_or_blocked_since(alice, bob, carol, make_user):
    from voliere.accounts.actions import block_account, follow_account, unfollow_account
    from voliere.timelines.sidebar import follow_suggestions

    dave = make_user("dave").account
    follow_account(alice.account, dave)
    first = {a.handle for a in follow_suggestions(alice.account)}
    assert {"bob", "carol"} <= first
    alice.account.refresh_from_db()
    block_account(bob.account, alice.account)  # bob blocks alice: following_count unchanged
    follow_account(alice.account, carol.account)
    unfollow_account(alice.account, dave)  # count back to 1: the cached key is reused
    alice.account.refresh_from_db()
    assert {a.handle for a in follow_suggestions(alice.account)}.isdisjoint({"bob", "carol"})
