"""Each community kind on every surface that exists: a secret community, its posts, its
members and even its name never reach outsiders (404, not 403); open and moderated
communities are visible to all and their posts follow the normal visibility rules."""

from __future__ import annotations

import pytest
from django.test import Client

from voliere.accounts.actions import follow_account, set_skills
from voliere.communities import actions
from voliere.communities.access import visible_communities
from voliere.communities.models import Kind, Role
from voliere.communities.queries import suggested_communities
from voliere.communities.tests.factories import add_member, make_community
from voliere.notifications.queries import unread_count, visible_notifications
from voliere.posts.actions import publish_post

SECRET_NAME = "Zanzibar taskforce"


@pytest.fixture
def world(make_user, run_on_commit):
    """alice owns a secret community where she posts; bob follows alice but is not a member;
    carol is a member; dave belongs to nothing. Everyone can see the open community."""
    alice, bob, carol, dave = (make_user(h) for h in ("alice", "bob", "carol", "dave"))
    secret = make_community(alice, Kind.SECRET, name=SECRET_NAME, slug="zanzibar",
                            description="kubernetes secret stuff")
    add_member(secret, carol)
    open_c = make_community(alice, Kind.OPEN, name="Kubernetes open", slug="kube-open")
    with run_on_commit():
        follow_account(bob.account, alice.account)
        follow_account(carol.account, alice.account)
        secret_post = publish_post(alice.account, "the secret plan #zanzi", community=secret,
                                   visibility="public")
        open_post = publish_post(alice.account, "an open post #zanzi", community=open_c)
    return {"alice": alice, "bob": bob, "carol": carol, "dave": dave, "secret": secret,
            "open": open_c, "secret_post": secret_post, "open_post": open_post}


def _get(user, url: str):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


SECRET_PAGES = ["/c/zanzibar/", "/c/zanzibar/members/", "/c/zanzibar/requests/",
                "/c/zanzibar/invitations/", "/c/zanzibar/bans/", "/c/zanzibar/settings/",
                "/c/zanzibar/?max_id=99999999999999999"]


@pytest.mark.parametrize("url", SECRET_PAGES)
def test_secret_pages_are_not_found_for_outsiders_and_anonymous(world, url):
    for outsider in (world["bob"], world["dave"], None):
        response = _get(outsider, url)
        assert response.status_code in (404, 302)  # anonymous may be sent to log in first
        assert SECRET_NAME not in response.content.decode()
    assert _get(world["bob"], url).status_code == 404


def test_secret_page_shows_to_members_and_invitees(world):
    response = _get(world["carol"], "/c/zanzibar/")
    assert response.status_code == 200 and "the secret plan" in response.content.decode()
    actions.invite_to_community(world["alice"].account, world["secret"], world["dave"].account)
    invited = _get(world["dave"], "/c/zanzibar/").content.decode()
    assert SECRET_NAME in invited and "Accept invitation" in invited
    assert "the secret plan" not in invited  # not a member yet


def test_posting_and_joining_a_secret_community_by_url_is_not_found(world):
    client = Client()
    client.force_login(world["bob"])
    assert client.post("/c/zanzibar/join/").status_code == 404
    assert client.post("/c/zanzibar/post/", {"text": "hi"}).status_code == 404
    assert not world["secret"].posts.filter(author=world["bob"].account).exists()


def test_directory_and_search_hide_secret_communities_from_outsiders(world):
    for url in ("/communities/", "/communities/?q=zanzibar", "/communities/?sort=members",
                "/communities/?q=kubernetes"):
        assert SECRET_NAME not in _get(world["bob"], url).content.decode()
        assert SECRET_NAME not in _get(None, url).content.decode()
        assert SECRET_NAME in _get(world["carol"], url).content.decode()
    assert "Kubernetes open" in _get(None, "/communities/?q=kubernetes").content.decode()


def test_access_api(world):
    assert set(visible_communities(None)) == {world["open"]}
    assert set(visible_communities(world["bob"].account)) == {world["open"]}
    assert set(visible_communities(world["carol"].account)) == {world["open"], world["secret"]}


def test_suggestions_never_offer_a_secret_community_to_outsiders(world):
    bob = world["bob"].account
    set_skills(bob, ["Kubernetes"])  # matches both descriptions
    follow_account(bob, world["carol"].account)  # members of both
    suggested = [s.community for s in suggested_communities(bob)]
    assert world["open"] in suggested and world["secret"] not in suggested
    assert SECRET_NAME not in _get(world["bob"], "/communities/").content.decode()


def test_suggestions_rank_by_skills_and_follows(make_user):
    owner, viewer, friend = make_user(), make_user(), make_user()
    by_skill = make_community(owner, name="Rust lovers", description="systems")
    by_friend = make_community(owner, name="Gardening")
    make_community(owner, name="Unrelated")
    add_member(by_friend, friend)
    set_skills(viewer.account, ["Rust"])
    follow_account(viewer.account, friend.account)
    suggestions = suggested_communities(viewer.account)
    assert [s.community for s in suggestions[:2]] == [by_skill, by_friend]
    assert suggestions[0].skills == ["Rust"] and suggestions[1].followees == 1
    add_member(by_skill, viewer)
    assert by_skill not in [s.community for s in suggested_communities(viewer.account)]


def test_secret_post_stays_out_of_a_followers_home_and_shared_timelines(world):
    for url in ("/", "/organisation/", "/tags/zanzi/", "/@alice/", "/@alice/replies/"):
        outsider = _get(world["bob"], url).content.decode()
        assert "the secret plan" not in outsider, url
        assert "an open post" in outsider or url == "/"
    assert "the secret plan" in _get(world["carol"], "/").content.decode()
    assert "an open post" in _get(world["bob"], "/").content.decode()
    assert "the secret plan" not in _get(None, "/@alice/").content.decode()


def test_secret_post_page_is_not_found_for_outsiders(world):
    url = f"/posts/{world['secret_post'].id}/"
    assert _get(world["bob"], url).status_code == 404
    assert _get(None, url).status_code == 404
    assert _get(world["carol"], url).status_code == 200
    assert _get(None, f"/posts/{world['open_post'].id}/").status_code == 200


def test_secret_post_is_not_found_in_the_mastodon_api(world):
    assert _get(None, f"/api/v1/statuses/{world['secret_post'].id}").status_code == 404
    assert _get(None, f"/api/v1/statuses/{world['open_post'].id}").status_code == 200


def test_open_community_posts_keep_their_own_visibility(world, make_user):
    followers_only = publish_post(world["alice"].account, "for followers", community=world["open"],
                                  visibility="followers")
    url = f"/posts/{followers_only.id}/"
    assert _get(world["dave"], url).status_code == 404
    assert _get(world["bob"], url).status_code == 200
    page = _get(None, "/c/kube-open/").content.decode()
    assert "an open post" in page and "for followers" not in page


def test_memberships_page_lists_secret_communities_to_members_only(world):
    url = "/communities/of/carol/"
    assert SECRET_NAME not in _get(world["bob"], url).content.decode()
    assert SECRET_NAME not in _get(None, url).content.decode()
    assert SECRET_NAME in _get(world["alice"], url).content.decode()


def test_notifications_about_a_secret_community_vanish_when_access_goes(world, make_user):
    eve = make_user("eve")
    secret, alice = world["secret"], world["alice"].account
    actions.invite_to_community(alice, secret, eve.account)
    assert unread_count(eve.account) == 1
    page = _get(eve, "/notifications/").content.decode()
    assert SECRET_NAME in page
    actions.decline_invitation(eve.account, secret)
    assert unread_count(eve.account) == 0
    assert not visible_notifications(eve.account).exists()
    assert SECRET_NAME not in _get(eve, "/notifications/").content.decode()


def test_a_removed_member_loses_the_community_and_its_posts(world):
    carol, secret = world["carol"], world["secret"]
    actions.remove_member(world["alice"].account, secret, carol.account)
    assert _get(carol, "/c/zanzibar/").status_code == 404
    assert _get(carol, f"/posts/{world['secret_post'].id}/").status_code == 404
    assert "the secret plan" not in _get(carol, "/").content.decode()


def test_moderator_pages_are_forbidden_to_plain_members_of_visible_communities(world):
    add_member(world["open"], world["bob"])
    for url in ("/c/kube-open/requests/", "/c/kube-open/bans/", "/c/kube-open/settings/"):
        assert _get(world["bob"], url).status_code == 403
    add_member(world["open"], world["dave"], Role.MODERATOR)
    assert _get(world["dave"], "/c/kube-open/requests/").status_code == 200
    assert _get(world["dave"], "/c/kube-open/settings/").status_code == 403
