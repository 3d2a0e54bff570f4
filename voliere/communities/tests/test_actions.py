"""Community actions: creation rules, joining each kind, queues, roles, bans, pins, counters
and the unique constraints that settle concurrent requests."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from voliere.communities import actions
from voliere.communities.access import can_moderate, can_post, is_member, role_of
from voliere.communities.models import (
    Ban,
    Community,
    Invitation,
    JoinRequest,
    Kind,
    Membership,
    Pin,
    Role,
)
from voliere.communities.tests.factories import add_member, make_community
from voliere.core.exceptions import Forbidden, InvalidInput, NotFound
from voliere.notifications.models import Notification, NotificationKind
from voliere.posts.actions import delete_post, publish_post, repost


def _count(community: Community) -> tuple[int, int]:
    community.refresh_from_db()
    return community.members_count, community.posts_count


# Creating ---------------------------------------------------------------------------------


def test_creator_becomes_the_owner_and_slug_comes_from_the_name(alice):
    c = actions.create_community(alice.account, name="  Équipe   Data  ", description="x")
    assert c.slug == "equipe-data" and c.name == "Équipe Data"
    assert role_of(alice.account, c) == Role.OWNER and c.members_count == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "   "}, "name", "needs a name"),
        ({"name": "x" * 81}, "name", "at most 80"),
        ({"name": "Ok", "slug": "Bad Slug!"}, "slug", "lower-case letters"),
        ({"name": "!!!"}, "slug", "lower-case letters"),
        ({"name": "Ok", "kind": "private"}, "kind", "open, moderated, secret"),
        ({"name": "Ok", "description": "d" * 2001}, "description", "at most 2000"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(alice, fields, field, message):
    with pytest.raises(InvalidInput) as caught:
        actions.create_community(alice.account, **fields)
    assert caught.value.field == field and message in caught.value.message
    assert not Community.objects.exists() and not Membership.objects.exists()


def test_duplicate_slug_is_refused_with_a_message(alice, bob):
    actions.create_community(alice.account, name="Python")
    with pytest.raises(InvalidInput) as caught:
        actions.create_community(bob.account, name="Other", slug="python")
    assert caught.value.field == "slug" and "already taken" in caught.value.message
    assert Community.objects.count() == 1


def test_the_database_refuses_a_second_row_for_the_same_slug_or_membership(alice, bob):
    """What settles two concurrent requests: the unique constraints themselves."""
    c = make_community(alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Community.objects.create(slug=c.slug, name="Twin")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(community=c, account=alice.account)
    for model in (JoinRequest, Invitation, Ban):
        model.objects.create(community=c, account=bob.account)
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.create(community=c, account=bob.account)


def test_a_lost_race_on_joining_keeps_one_membership_and_the_right_count(alice, bob):
    c = make_community(alice)
    Membership.objects.create(community=c, account=bob.account)  # the other request won
    assert actions._add_member(c, bob.account) is False
    assert Membership.objects.filter(community=c, account=bob.account).count() == 1
    assert _count(c)[0] == 1  # only the creator was counted by the actions


def test_secrecy_is_fixed_at_creation(alice):
    c = make_community(alice, Kind.OPEN)
    actions.update_community(alice.account, c, name="Renamed", description="", rules="r",
                             kind=Kind.MODERATED)
    c.refresh_from_db()
    assert (c.name, c.kind, c.rules) == ("Renamed", Kind.MODERATED, "r")
    with pytest.raises(InvalidInput) as caught:
        actions.update_community(alice.account, c, name="x", description="", rules="",
                                 kind=Kind.SECRET)
    assert caught.value.field == "kind"


def test_only_admins_edit(alice, bob):
    c = make_community(alice)
    add_member(c, bob, Role.MODERATOR)
    with pytest.raises(Forbidden):
        actions.update_community(bob.account, c, name="x", description="", rules="",
                                 kind=Kind.OPEN)


# Joining each kind --------------------------------------------------------------------


def test_open_community_anyone_joins_once(alice, bob):
    c = make_community(alice, Kind.OPEN)
    assert actions.join_community(bob.account, c) == actions.JoinOutcome.JOINED
    assert actions.join_community(bob.account, c) == actions.JoinOutcome.JOINED
    assert is_member(bob.account, c) and _count(c)[0] == 2


def test_moderated_community_request_notifies_staff_and_approval_notifies_the_asker(
    alice, bob, carol
):
    c = make_community(alice, Kind.MODERATED)
    add_member(c, carol, Role.MODERATOR)
    assert actions.join_community(bob.account, c, message="hi") == actions.JoinOutcome.REQUESTED
    assert actions.join_community(bob.account, c) == actions.JoinOutcome.REQUESTED
    assert not is_member(bob.account, c)
    asked = Notification.objects.filter(kind=NotificationKind.COMMUNITY_REQUEST)
    assert sorted(asked.values_list("recipient_id", flat=True)) == sorted(
        [alice.account.pk, carol.account.pk]
    )
    assert set(asked.values_list("subject_type", "subject_id")) == {("community", c.pk)}
    assert actions.approve_join_request(carol.account, c, bob.account) is True
    assert is_member(bob.account, c) and not JoinRequest.objects.exists()
    approved = Notification.objects.get(kind=NotificationKind.COMMUNITY_APPROVED)
    assert approved.recipient_id == bob.account.pk and approved.subject_id == c.pk


def test_rejecting_and_withdrawing_requests(alice, bob, carol):
    c = make_community(alice, Kind.MODERATED)
    actions.join_community(bob.account, c)
    with pytest.raises(Forbidden):
        actions.reject_join_request(carol.account, c, bob.account)
    actions.reject_join_request(alice.account, c, bob.account)
    assert not JoinRequest.objects.exists() and not is_member(bob.account, c)
    with pytest.raises(NotFound):
        actions.approve_join_request(alice.account, c, bob.account)
    actions.join_community(bob.account, c)
    assert actions.cancel_join_request(bob.account, c) is True
    assert not JoinRequest.objects.exists()


def test_secret_community_needs_an_invitation(alice, bob):
    c = make_community(alice, Kind.SECRET)
    with pytest.raises(NotFound):
        actions.join_community(bob.account, c)
    assert actions.invite_to_community(alice.account, c, bob.account) is True
    assert actions.invite_to_community(alice.account, c, bob.account) is False
    invite = Notification.objects.get(kind=NotificationKind.COMMUNITY_INVITE)
    assert invite.recipient_id == bob.account.pk
    assert actions.join_community(bob.account, c) == actions.JoinOutcome.JOINED
    assert is_member(bob.account, c) and not Invitation.objects.exists()


def test_an_invitation_skips_the_queue_of_a_moderated_community(alice, bob):
    c = make_community(alice, Kind.MODERATED)
    actions.join_community(bob.account, c)
    actions.invite_to_community(alice.account, c, bob.account)
    assert actions.accept_invitation(bob.account, c) is True
    assert not JoinRequest.objects.exists() and not Invitation.objects.exists()


def test_who_may_invite(alice, bob, carol):
    open_c, moderated = make_community(alice, Kind.OPEN), make_community(alice, Kind.MODERATED)
    add_member(open_c, bob)
    add_member(moderated, bob)
    assert actions.invite_to_community(bob.account, open_c, carol.account)
    with pytest.raises(Forbidden):
        actions.invite_to_community(bob.account, moderated, carol.account)
    with pytest.raises(InvalidInput, match="already a member"):
        actions.invite_to_community(alice.account, open_c, bob.account)


def test_declining_an_invitation(alice, bob):
    c = make_community(alice, Kind.SECRET)
    actions.invite_to_community(alice.account, c, bob.account)
    assert actions.decline_invitation(bob.account, c) is True
    with pytest.raises(NotFound):
        actions.accept_invitation(bob.account, c)


# Leaving, removing, banning ----------------------------------------------------------


def test_the_last_owner_cannot_leave_until_someone_else_owns(alice, bob):
    c = make_community(alice)
    add_member(c, bob)
    with pytest.raises(InvalidInput, match="last owner"):
        actions.leave_community(alice.account, c)
    actions.set_role(alice.account, c, bob.account, Role.OWNER)
    assert actions.leave_community(alice.account, c) is True
    assert role_of(bob.account, c) == Role.OWNER and _count(c)[0] == 1
    assert actions.leave_community(alice.account, c) is False


def test_moderators_remove_lower_ranks_only(alice, bob, carol, make_user):
    c = make_community(alice)
    dave = make_user("dave")
    add_member(c, bob, Role.MODERATOR)
    add_member(c, carol, Role.MODERATOR)
    add_member(c, dave)
    with pytest.raises(Forbidden):
        actions.remove_member(bob.account, c, carol.account)
    with pytest.raises(Forbidden):
        actions.remove_member(bob.account, c, alice.account)
    with pytest.raises(Forbidden):
        actions.remove_member(dave.account, c, bob.account)
    assert actions.remove_member(bob.account, c, dave.account) is True
    assert _count(c)[0] == 3
    assert actions.join_community(dave.account, c) == actions.JoinOutcome.JOINED


def test_banned_people_cannot_join_ask_be_invited_or_post(alice, bob):
    open_c = make_community(alice, Kind.OPEN)
    moderated = make_community(alice, Kind.MODERATED)
    add_member(open_c, bob)
    post = publish_post(bob.account, "before the ban", community=open_c)
    actions.join_community(bob.account, moderated)
    assert actions.ban_member(alice.account, open_c, bob.account, reason="spam") is True
    assert actions.ban_member(alice.account, moderated, bob.account) is True
    assert not is_member(bob.account, open_c) and not can_post(bob.account, open_c)
    assert not JoinRequest.objects.exists()
    for community in (open_c, moderated):
        with pytest.raises(Forbidden, match="banned"):
            actions.join_community(bob.account, community)
    with pytest.raises(InvalidInput, match="banned"):
        actions.invite_to_community(alice.account, open_c, bob.account)
    with pytest.raises(InvalidInput, match="Only members"):
        publish_post(bob.account, "after the ban", community=open_c)
    with pytest.raises(InvalidInput, match="Only members"):
        publish_post(bob.account, "a reply", in_reply_to=post)
    assert actions.unban_member(alice.account, open_c, bob.account) is True
    assert actions.join_community(bob.account, open_c) == actions.JoinOutcome.JOINED


def test_nobody_bans_themselves_or_a_higher_rank(alice, bob):
    c = make_community(alice)
    add_member(c, bob, Role.MODERATOR)
    with pytest.raises(InvalidInput):
        actions.ban_member(alice.account, c, alice.account)
    with pytest.raises(Forbidden):
        actions.ban_member(bob.account, c, alice.account)
    assert not Ban.objects.exists()


# Roles ------------------------------------------------------------------------------------


def test_roles_are_given_below_ones_own(alice, bob, carol):
    c = make_community(alice)
    add_member(c, bob, Role.ADMIN)
    add_member(c, carol)
    assert actions.set_role(bob.account, c, carol.account, Role.MODERATOR) == Role.MODERATOR
    assert can_moderate(carol.account, c)
    with pytest.raises(Forbidden):
        actions.set_role(bob.account, c, carol.account, Role.ADMIN)
    with pytest.raises(Forbidden):
        actions.set_role(carol.account, c, bob.account, Role.MEMBER)
    with pytest.raises(InvalidInput) as caught:
        actions.set_role(alice.account, c, carol.account, "boss")
    assert caught.value.field == "role"
    with pytest.raises(InvalidInput, match="at least one owner"):
        actions.set_role(alice.account, c, alice.account, Role.MEMBER)


# Posts, counters, pins ---------------------------------------------------------------


def test_only_members_post_and_replies_inherit_the_community(alice, bob, carol):
    c = make_community(alice, Kind.OPEN)
    with pytest.raises(InvalidInput) as caught:
        publish_post(bob.account, "not yet", community=c)
    assert caught.value.field == "community"
    post = publish_post(alice.account, "hello", community=c)
    with pytest.raises(InvalidInput) as caught:
        publish_post(carol.account, "outsider reply", in_reply_to=post)
    assert caught.value.field == "in_reply_to"
    actions.join_community(bob.account, c)
    reply = publish_post(bob.account, "member reply", in_reply_to=post)
    assert reply.community_id == c.pk
    c.refresh_from_db()
    assert c.posts_count == 2 and c.last_post_at == reply.created_at
    delete_post(bob.account, reply)
    assert _count(c)[1] == 1


def test_secret_posts_cannot_be_reposted_or_quoted(alice, bob):
    c = make_community(alice, Kind.SECRET)
    add_member(c, bob)
    post = publish_post(alice.account, "secret plan", community=c)
    with pytest.raises(InvalidInput, match="secret community"):
        repost(bob.account, post)
    with pytest.raises(InvalidInput, match="secret community"):
        publish_post(bob.account, "look", quote_of=post)


def test_pins_are_for_moderators_and_this_communitys_posts(alice, bob):
    c, other = make_community(alice), make_community(alice)
    add_member(c, bob)
    posts = [publish_post(alice.account, f"p{i}", community=c) for i in range(6)]
    elsewhere = publish_post(alice.account, "elsewhere", community=other)
    with pytest.raises(Forbidden):
        actions.pin_post(bob.account, c, posts[0])
    with pytest.raises(InvalidInput):
        actions.pin_post(alice.account, c, elsewhere)
    for post in posts[:5]:
        assert actions.pin_post(alice.account, c, post).created
    assert actions.pin_post(alice.account, c, posts[0]).created is False
    with pytest.raises(InvalidInput, match="at most 5"):
        actions.pin_post(alice.account, c, posts[5])
    assert actions.unpin_post(alice.account, c, posts[0]) is True
    assert Pin.objects.filter(community=c).count() == 4
