"""Lists, markers and conversation state through their actions and queries."""

from __future__ import annotations

import pytest

from conftest import committed
from voliere.accounts.actions import block_account, follow_account, unfollow_account
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.core.pagination import Cursor
from voliere.lists import actions
from voliere.lists.access import access_list
from voliere.lists.models import ListMember, Marker
from voliere.lists.queries import list_timeline, lists_containing, members_page
from voliere.posts.actions import publish_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice, bob, carol):
    return alice.account, bob.account, carol.account


def test_members_must_be_followed_and_nothing_is_half_added(people):
    alice, bob, carol = people
    follow_account(alice, bob)
    lst = actions.create_list(alice, "Team")
    with pytest.raises(InvalidInput, match=f"account {carol.id} must be followed"):
        actions.add_members(lst, [bob.id, carol.id])
    assert not ListMember.objects.filter(list=lst).exists()
    actions.add_members(lst, [bob.id, bob.id])
    assert [a.id for a in members_page(lst, Cursor())] == [bob.id]
    assert list(lists_containing(alice, bob)) == [lst]
    with pytest.raises(NotFound):
        actions.add_members(lst, [999_999_999])


def test_title_and_policy_are_validated(people):
    alice, _, _ = people
    with pytest.raises(InvalidInput, match="title can't be blank"):
        actions.create_list(alice, "   ")
    with pytest.raises(InvalidInput, match="replies_policy must be one of"):
        actions.create_list(alice, "x", replies_policy="everyone")
    lst = actions.create_list(alice, "x", replies_policy="none", exclusive=True)
    actions.update_list(lst, title="y")
    lst.refresh_from_db()
    assert (lst.title, lst.replies_policy, lst.exclusive) == ("y", "none", True)


def test_a_list_is_only_visible_to_its_owner(people):
    alice, bob, _ = people
    lst = actions.create_list(alice, "Mine")
    assert access_list(alice, lst.id) == lst
    for bad in (lst.id, "abc", "٣"):
        with pytest.raises(NotFound):
            access_list(bob, bad)


def test_list_timeline_applies_replies_policy_and_visibility(people, make_user):
    alice, bob, carol = people
    dave = make_user("dave").account
    for who in (bob, carol):
        follow_account(alice, who)
    lst = actions.create_list(alice, "Team", replies_policy="list")
    actions.add_members(lst, [bob.id, carol.id])
    top = publish_post(bob, "top")
    to_member = publish_post(bob, "to carol", in_reply_to=publish_post(carol, "c"))
    to_outsider = publish_post(bob, "to dave", in_reply_to=publish_post(dave, "d"))
    direct_to_other = publish_post(bob, "@dave secret", visibility="direct")
    shown = {p.id for p in list_timeline(lst, alice, Cursor(limit=40))}
    assert top.id in shown and to_member.id in shown
    assert to_outsider.id not in shown and direct_to_other.id not in shown
    actions.update_list(lst, replies_policy="none")
    shown = {p.id for p in list_timeline(lst, alice, Cursor(limit=40))}
    assert to_member.id not in shown and top.id in shown


def test_unfollow_and_block_remove_members(people):
    alice, bob, carol = people
    follow_account(alice, bob)
    follow_account(alice, carol)
    lst = actions.create_list(alice, "Team")
    actions.add_members(lst, [bob.id, carol.id])
    with committed():
        unfollow_account(alice, bob)
    with committed():
        block_account(carol, alice)
    assert not ListMember.objects.filter(list=lst).exists()


def test_markers_bump_version_and_detect_a_stale_write(people, monkeypatch):
    alice, _, _ = people
    (home,) = actions.save_markers(alice, {"home": 10})
    assert (home.last_read_id, home.version) == (10, 1)
    (home,) = actions.save_markers(alice, {"home": 12})
    assert home.version == 2
    stale = Marker.objects.get(pk=home.pk)
    actions.save_markers(alice, {"home": 13})  # another client, in between
    monkeypatch.setattr(actions, "_current_marker", lambda account, timeline: stale)
    with pytest.raises(actions.MarkerConflict):
        actions.save_markers(alice, {"home": 11})
    assert Marker.objects.get(pk=home.pk).last_read_id == 13
    with pytest.raises(InvalidInput, match="unknown timeline"):
        actions.save_markers(alice, {"bogus": 2})
