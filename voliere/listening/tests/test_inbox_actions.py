"""Inbox actions: the transition table, replies as the organisation, first response."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from voliere.accounts.actions import create_organisation
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.listening.inbox import actions
from voliere.listening.inbox.actions import TransitionRefused
from voliere.listening.models import InboxItem, InboxState, Source
from voliere.listening.tests.test_inbox_helpers import (  # noqa: F401
    brand_fixture,
    inbox_item_fixture,
    match_and_route,
)
from voliere.posts.actions import publish_post
from voliere.posts.models import Post
from voliere.posts.threads import thread_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(make_user, organisation):
    from voliere.accounts.models.user import OrganisationRole

    user = make_user("dave")
    OrganisationRole.objects.create(user=user, organisation=organisation)
    return user


def test_assign_to_a_manager_then_unassign(inbox_item, listener, colleague):
    item = actions.assign_item(listener, inbox_item(), colleague)
    assert (item.state, item.assignee) == (InboxState.ASSIGNED, colleague)
    item = actions.assign_item(listener, item, None)
    assert (item.state, item.assignee) == (InboxState.NEW, None)


def test_only_managers_can_be_assigned(inbox_item, listener, bob):
    item = inbox_item()
    with pytest.raises(InvalidInput) as refused:
        actions.assign_item(listener, item, bob)
    assert refused.value.field == "assignee"
    assert "manage Acme" in refused.value.message
    item.refresh_from_db()
    assert (item.state, item.assignee) == (InboxState.NEW, None)


def test_someone_who_does_not_manage_the_organisation_cannot_act(inbox_item, bob):
    item = inbox_item()
    for act in (lambda: actions.close_item(bob, item),
                lambda: actions.mark_answered(bob, item),
                lambda: actions.reply_to_item(bob, item, "hello"),
                lambda: actions.assign_item(bob, item, bob)):
        with pytest.raises(NotFound):
            act()
    item.refresh_from_db()
    assert item.state == InboxState.NEW


def test_admin_may_act_on_any_inbox(inbox_item, make_user):
    from voliere.accounts.models.user import Role

    admin = make_user("sysop")
    admin.role = Role.ADMIN
    admin.save(update_fields=["role"])
    assert actions.close_item(admin, inbox_item()).state == InboxState.CLOSED


def test_mark_answered_stamps_first_response_once(inbox_item, listener, colleague):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        item = inbox_item()
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        item = actions.mark_answered(colleague, item)
    assert item.state == InboxState.ANSWERED
    assert item.first_response_at - item.created_at == timedelta(hours=3)
    assert item.responded_by == colleague
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        item = actions.reopen_item(listener, item)
        assert item.state == InboxState.NEW
        item = actions.mark_answered(listener, item)
    assert item.first_response_at - item.created_at == timedelta(hours=3)
    assert item.responded_by == colleague


def test_close_and_reopen_keep_the_assignee(inbox_item, listener, colleague):
    item = actions.assign_item(listener, inbox_item(), colleague)
    item = actions.close_item(listener, item)
    assert item.state == InboxState.CLOSED and item.closed_at is not None
    assert item.first_response_at is None  # closing is not answering
    item = actions.reopen_item(listener, item)
    assert (item.state, item.assignee, item.closed_at) == (InboxState.ASSIGNED, colleague, None)


@pytest.mark.parametrize(("state", "action", "message"), [
    (InboxState.CLOSED, "reply", "closed: reopen it first"),
    (InboxState.CLOSED, "assign", "closed"),
    (InboxState.CLOSED, "close", "closed"),
    (InboxState.CLOSED, "mark_answered", "closed"),
    (InboxState.ANSWERED, "reply", "already answered"),
    (InboxState.ANSWERED, "mark_answered", "already answered"),
    (InboxState.NEW, "reopen", "already open"),
])
def test_invalid_transitions_are_refused_with_a_message(
    inbox_item, listener, state, action, message,
):
    item = inbox_item()
    if state == InboxState.CLOSED:
        item = actions.close_item(listener, item)
    elif state == InboxState.ANSWERED:
        item = actions.mark_answered(listener, item)
    calls = {
        "reply": lambda: actions.reply_to_item(listener, item, "we are on it"),
        "assign": lambda: actions.assign_item(listener, item, listener),
        "close": lambda: actions.close_item(listener, item),
        "mark_answered": lambda: actions.mark_answered(listener, item),
        "reopen": lambda: actions.reopen_item(listener, item),
    }
    with pytest.raises(TransitionRefused) as refused:
        calls[action]()
    assert message in refused.value.message
    assert InboxItem.objects.get(pk=item.pk).state == state


def test_transition_table_agrees_with_allowed_actions(inbox_item, listener):
    item = inbox_item()
    assert actions.allowed_actions(item) == {"assign", "unassign", "reply", "mark_answered",
                                             "close"}
    item = actions.close_item(listener, item)
    assert actions.allowed_actions(item) == {"reopen"}


def _internal_item(make_mention, brand, author, text="@acme my order never came"):
    parent = publish_post(author, text)
    mention = make_mention(text, network="internal", external_id=str(parent.pk), post=parent,
                           sentiment="negative", author_handle=author.handle)
    match_and_route(mention, brand)
    return InboxItem.objects.get(mention=mention), parent


def test_internal_reply_is_a_real_reply_by_the_organisation(
    make_mention, brand, listener, carol, organisation, make_user,
):
    item, parent = _internal_item(make_mention, brand, carol.account)
    item = actions.reply_to_item(listener, item, "Sorry! We are looking into it.")
    reply = Post.objects.get(pk=item.reply_post_id)
    assert reply.author == organisation
    assert reply.in_reply_to_id == parent.pk
    assert reply.text == "@carol Sorry! We are looking into it."
    assert list(reply.mentions.values_list("account__handle", flat=True)) == ["carol"]
    assert item.state == InboxState.ANSWERED
    assert item.reply_text == reply.text and item.responded_by == listener
    assert item.first_response_at is not None
    # Anyone reading the conversation sees the official answer under the complaint.
    stranger = make_user("erin").account
    thread = thread_for(stranger, parent)
    assert [p.pk for p in thread.descendants] == [reply.pk]


def test_reply_keeps_a_mention_written_by_hand(make_mention, brand, listener, carol):
    item, _parent = _internal_item(make_mention, brand, carol.account)
    item = actions.reply_to_item(listener, item, "@Carol on it")
    assert item.reply_post.text == "@Carol on it"


def test_double_submit_sends_one_reply(make_mention, brand, listener, carol):
    item, parent = _internal_item(make_mention, brand, carol.account)
    stale = InboxItem.objects.get(pk=item.pk)
    actions.reply_to_item(listener, item, "On it")
    with pytest.raises(TransitionRefused):
        actions.reply_to_item(listener, stale, "On it")
    assert Post.objects.filter(in_reply_to=parent).count() == 1


@pytest.mark.parametrize(("text", "message"), [
    ("   ", "Write the reply first."),
    ("x" * 600, "at most"),
])
def test_reply_text_is_validated(make_mention, brand, listener, carol, text, message):
    item, parent = _internal_item(make_mention, brand, carol.account)
    with pytest.raises(InvalidInput) as refused:
        actions.reply_to_item(listener, item, text)
    assert refused.value.field == "text" and message in refused.value.message
    assert not Post.objects.filter(in_reply_to=parent).exists()
    assert InboxItem.objects.get(pk=item.pk).state == InboxState.NEW


def test_reply_limit_counts_the_added_mention(make_mention, brand, listener, carol, settings):
    item, _parent = _internal_item(make_mention, brand, carol.account)
    room = settings.POST_MAX_CHARS - len("@carol ")
    with pytest.raises(InvalidInput):
        actions.reply_to_item(listener, item, "y" * (room + 1))
    item = actions.reply_to_item(listener, item, "y" * room)
    assert len(item.reply_post.text) == settings.POST_MAX_CHARS


def test_reply_to_a_deleted_post_is_refused_clearly(make_mention, brand, listener, carol):
    from voliere.posts.actions import delete_post

    item, parent = _internal_item(make_mention, brand, carol.account)
    delete_post(carol.account, parent)
    with pytest.raises(InvalidInput) as refused:
        actions.reply_to_item(listener, item, "hello")
    assert "deleted" in refused.value.message


def test_external_mention_without_reply_credentials_says_so(
    inbox_item, listener, organisation,
):
    source = Source.objects.create(organisation=organisation, kind="rss", name="Blog",
                                   config={"url": "https://example.org/feed"})
    item = inbox_item("acme is down again", source=source, network="rss:abc")
    with pytest.raises(actions.ReplyUnavailable) as refused:
        actions.reply_to_item(listener, item, "Sorry!")
    assert "then mark it answered" in refused.value.message
    item.refresh_from_db()
    assert item.state == InboxState.NEW and item.first_response_at is None
    assert item.reply_claimed_at is None  # the failed attempt let go of the item
    assert actions.mark_answered(listener, item).state == InboxState.ANSWERED


def test_imported_mention_has_no_connector_to_reply_through(inbox_item, listener, organisation):
    source = Source.objects.create(organisation=organisation, kind="import", name="Archive")
    item = inbox_item("acme sucks", source=source)
    with pytest.raises(actions.ReplyUnavailable):
        actions.reply_to_item(listener, item, "Sorry!")


def test_other_organisation_managers_cannot_touch_our_items(inbox_item, bob):
    create_organisation(handle="globex", display_name="Globex", managers=[bob])
    with pytest.raises(NotFound):
        actions.close_item(bob, inbox_item())


def test_reply_in_flight_refuses_a_second_one_until_the_claim_expires(
    inbox_item, listener, organisation,
):
    source = Source.objects.create(organisation=organisation, kind="rss", name="Blog",
                                   config={"url": "https://example.org/feed"})
    item = inbox_item("acme is down again", source=source, network="rss:abc")
    start = timezone.now()
    InboxItem.objects.filter(pk=item.pk).update(reply_claimed_at=start)
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        with pytest.raises(TransitionRefused) as refused:
            actions.reply_to_item(listener, item, "Sorry!")
    assert "being sent right now" in refused.value.message
    # A claim left by a crash does not block the item for ever.
    with time_machine.travel(start + actions.REPLY_CLAIM_TIMEOUT + timedelta(seconds=1),
                             tick=False):
        with pytest.raises(actions.ReplyUnavailable):
            actions.reply_to_item(listener, item, "Sorry!")
