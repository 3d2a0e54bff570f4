"""Who sees a post where: every visibility × every kind of viewer × every page.

Alice writes one post mentioning Carol, tagged #matrix, then edits it (so its history
holds an older text). Bob follows Alice; Dave is a stranger; Alice blocks Eve. Each page
is fetched as each viewer and the post's unique marker must appear exactly on the pages
that viewer may see it on, and nowhere else.
"""

from __future__ import annotations

import pytest
from django.test import Client

from voliere.accounts.actions import (
    block_account,
    follow_account,
    mute_account,
    unfollow_account,
)
from voliere.posts.actions import edit_post, publish_post

VIEWERS = ("anonymous", "stranger", "follower", "mentioned", "author", "blocked")
SIGNED_IN = set(VIEWERS) - {"anonymous"}

# Who may see the post at all (thread page, history, profile, hashtag page).
VISIBLE = {
    "public": {"anonymous", "stranger", "follower", "mentioned", "author"},
    "internal": {"stranger", "follower", "mentioned", "author"},
    "followers": {"follower", "mentioned", "author"},
    "direct": {"mentioned", "author"},
}
# Whose home timeline the post was fanned out to.
HOME = {
    "public": {"follower", "author"},
    "internal": {"follower", "author"},
    "followers": {"follower", "author"},
    "direct": {"mentioned", "author"},
}


@pytest.fixture
def world(make_user, run_on_commit):
    def build(visibility: str) -> dict:
        people = {
            "author": make_user("alice"),
            "follower": make_user("bob"),
            "mentioned": make_user("carol"),
            "stranger": make_user("dave"),
            "blocked": make_user("eve"),
        }
        author = people["author"].account
        with run_on_commit():
            follow_account(people["follower"].account, author)
            follow_account(people["blocked"].account, author)
            block_account(author, people["blocked"].account)
            post = publish_post(
                author, f"@carol #matrix first draft OLDMARK-{visibility}", visibility=visibility
            )
            edit_post(author, post, f"@carol #matrix MARKER-{visibility} is here")
        return {"people": people, "post": post}

    return build


def _client_for(world: dict, viewer: str) -> Client:
    client = Client()
    if viewer != "anonymous":
        client.force_login(world["people"][viewer])
    return client


@pytest.mark.parametrize("visibility", list(VISIBLE))
@pytest.mark.parametrize("viewer", VIEWERS)
def test_post_appears_exactly_where_the_viewer_may_see_it(world, visibility, viewer):
    w = world(visibility)
    client = _client_for(w, viewer)
    post_id = w["post"].id
    marker = f"MARKER-{visibility}"
    may_see = viewer in VISIBLE[visibility]
    expected = {
        "/": viewer in HOME[visibility],
        "/organisation/": may_see and visibility in ("public", "internal"),
        "/tags/matrix/": may_see,
        "/@alice/": may_see,
        "/@alice/replies/": may_see,
        f"/posts/{post_id}/": may_see,
        f"/posts/{post_id}/history/": may_see,
        "/notifications/": viewer == "mentioned",
        "/bookmarks/": False,
        "/likes/": False,
    }
    for url, shown in expected.items():
        response = client.get(url)
        content = response.content.decode()
        assert (marker in content) is shown, (url, response.status_code)
        if url.endswith("/history/"):
            assert (f"OLDMARK-{visibility}" in content) is shown, url
        else:
            assert f"OLDMARK-{visibility}" not in content, url

    thread = client.get(f"/posts/{post_id}/")
    assert thread.status_code == (200 if may_see else 404)
    assert client.get(f"/posts/{post_id}/history/").status_code == (200 if may_see else 404)
    profile_status = 404 if viewer == "blocked" else 200
    assert client.get("/@alice/").status_code == profile_status
    assert client.get("/@alice/replies/").status_code == profile_status
    if viewer == "anonymous":
        for url in ("/", "/notifications/", "/bookmarks/", "/likes/"):
            assert client.get(url).status_code == 302


@pytest.mark.parametrize("surface", ["/bookmarks/", "/likes/"])
def test_saved_post_vanishes_after_losing_access(make_user, run_on_commit, client, surface):
    alice, bob = make_user("alice"), make_user("bob")
    with run_on_commit():
        follow_account(bob.account, alice.account)
        post = publish_post(alice.account, "followers only SAVEDMARK", visibility="followers")
    client.force_login(bob)
    client.post(f"/posts/{post.id}/bookmark/")
    client.post(f"/posts/{post.id}/like/")
    assert "SAVEDMARK" in client.get(surface).content.decode()

    with run_on_commit():
        unfollow_account(bob.account, alice.account)
    response = client.get(surface)
    assert response.status_code == 200
    assert "SAVEDMARK" not in response.content.decode()


def test_saved_post_vanishes_when_author_blocks_the_saver(make_user, run_on_commit, client):
    alice, bob = make_user("alice"), make_user("bob")
    post = publish_post(alice.account, "public BLOCKMARK")
    client.force_login(bob)
    client.post(f"/posts/{post.id}/bookmark/")
    assert "BLOCKMARK" in client.get("/bookmarks/").content.decode()
    with run_on_commit():
        block_account(alice.account, bob.account)
    assert "BLOCKMARK" not in client.get("/bookmarks/").content.decode()
    assert client.get(f"/posts/{post.id}/").status_code == 404
    assert client.get("/@alice/").status_code == 404


def test_direct_post_never_on_shared_pages_for_people_not_mentioned(
    make_user, run_on_commit, client
):
    alice, bob = make_user("alice"), make_user("bob")
    with run_on_commit():
        follow_account(bob.account, alice.account)
        publish_post(alice.account, "secret #plans DIRECTMARK", visibility="direct")
    client.force_login(bob)
    for url in ("/", "/organisation/", "/tags/plans/", "/@alice/", "/@alice/replies/"):
        assert "DIRECTMARK" not in client.get(url).content.decode(), url


def test_muted_account_vanishes_from_the_muters_home(make_user, run_on_commit, client):
    alice, bob = make_user("alice"), make_user("bob")
    with run_on_commit():
        follow_account(bob.account, alice.account)
        publish_post(alice.account, "hello MUTEMARK")
    client.force_login(bob)
    assert "MUTEMARK" in client.get("/").content.decode()
    with run_on_commit():
        mute_account(bob.account, alice.account)
    assert "MUTEMARK" not in client.get("/").content.decode()
    assert "MUTEMARK" not in client.get("/organisation/").content.decode()
    # Muting hides, it does not forbid: the post itself is still reachable.
    assert client.get("/@alice/").status_code == 200
