"""Every change to an inbox item: assign, reply, mark answered, close, reopen.

The lifecycle is the transition table `TRANSITIONS` (action → {from state: to state});
an action from a state not in its row is refused with a message saying why
(`TransitionRefused`, an `InvalidInput`). Each action runs in one transaction, locks the
item's row (`select_for_update`; SQLite's IMMEDIATE transactions serialize writers) and
checks the state after the lock, so a double submit of a reply sends one reply: the second
finds the item answered and is refused.

The first response (a reply, or "mark answered" after answering elsewhere) stamps
`first_response_at` and `responded_by` once; reopening and answering again keeps them, so
the time to first response is never rewritten.

Who may act: the organisation's managers and instance administrators (the same people as
`access.listening_organisations`). Only managers may be assigned.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voliere.accounts.models import User
from voliere.accounts.models.user import OrganisationRole
from voliere.core.exceptions import InvalidInput, NotFound
from voliere.listening.access import listening_organisations
from voliere.listening.models import InboxItem, InboxState, Mention, Source
from voliere.posts.actions import publish_post
from voliere.posts.models import Post

# The open state an item returns to: assigned when it has an assignee, else new.
OPEN = "open"

TRANSITIONS: dict[str, dict[str, str]] = {
    "assign": {InboxState.NEW: InboxState.ASSIGNED, InboxState.ASSIGNED: InboxState.ASSIGNED},
    "unassign": {InboxState.ASSIGNED: InboxState.NEW, InboxState.NEW: InboxState.NEW},
    "reply": {InboxState.NEW: InboxState.ANSWERED, InboxState.ASSIGNED: InboxState.ANSWERED},
    "mark_answered": {
        InboxState.NEW: InboxState.ANSWERED, InboxState.ASSIGNED: InboxState.ANSWERED,
    },
    "close": {
        InboxState.NEW: InboxState.CLOSED, InboxState.ASSIGNED: InboxState.CLOSED,
        InboxState.ANSWERED: InboxState.CLOSED,
    },
    "reopen": {InboxState.ANSWERED: OPEN, InboxState.CLOSED: OPEN},
}

# Why an action is refused in a state, for the messages people read.
_REFUSALS = {
    InboxState.NEW: gettext_lazy("This item is already open."),
    InboxState.ASSIGNED: gettext_lazy("This item is already open."),
    InboxState.ANSWERED: gettext_lazy(
        "This item was already answered: reopen it to answer again."
    ),
    InboxState.CLOSED: gettext_lazy("This item is closed: reopen it first."),
}

REPLY_MAX_CHARS_EXTERNAL = 500


class TransitionRefused(InvalidInput):
    """The action is not allowed from the item's current state."""

    status = 409


class ReplyUnavailable(InvalidInput):
    """The official account cannot reply to this mention from here (no connector with
    write access): answer on the other network, then mark the item answered."""

    status = 422


def can_handle(user: User, item: InboxItem) -> bool:
    return listening_organisations(user).filter(pk=item.organisation_id).exists()


def allowed_actions(item: InboxItem) -> set[str]:
    """The actions the table allows from the item's state (what the page offers)."""
    return {action for action, row in TRANSITIONS.items() if item.state in row}


def _locked(actor: User, item: InboxItem) -> InboxItem:
    """The item's row, locked for this transaction, after checking `actor` may act."""
    locked = (InboxItem.objects.select_for_update().filter(pk=item.pk)
              .select_related("organisation").first())
    if locked is None or not can_handle(actor, locked):
        raise NotFound(_("No such inbox item."))
    return locked


def _move(item: InboxItem, action: str) -> str:
    row = TRANSITIONS[action]
    if item.state not in row:
        raise TransitionRefused(str(_REFUSALS[item.state]), field="state")
    target = row[item.state]
    if target == OPEN:
        target = InboxState.ASSIGNED if item.assignee_id else InboxState.NEW
    return target


@transaction.atomic
def assign_item(actor: User, item: InboxItem, assignee: User | None) -> InboxItem:
    """Give the open item to `assignee` (a manager of the organisation), or to nobody."""
    item = _locked(actor, item)
    if assignee is not None and not OrganisationRole.objects.filter(
        user=assignee, organisation_id=item.organisation_id
    ).exists():
        raise InvalidInput(
            _("Only people who manage %(name)s can be assigned.")
            % {"name": item.organisation.name}, field="assignee",
        )
    item.state = _move(item, "assign" if assignee is not None else "unassign")
    item.assignee = assignee
    item.save(update_fields=["state", "assignee"])
    return item


def clean_reply_text(text: str, *, limit: int) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if not text:
        raise InvalidInput(_("Write the reply first."), field="text")
    if len(text) > limit:
        raise InvalidInput(
            _("A reply has at most %(limit)s characters (this one has %(count)s).")
            % {"limit": limit, "count": len(text)}, field="text",
        )
    return text


REPLY_CLAIM_TIMEOUT = timedelta(minutes=5)


def reply_to_item(actor: User, item: InboxItem, text: str) -> InboxItem:
    """Answer the mention as the organisation: a reply post on this network (visible like
    any reply, mentioning the author), or a reply through the source's connector for an
    external mention. Raises `ReplyUnavailable` when the connector cannot post (nothing
    changes: the item stays open, to be marked answered once answered elsewhere).

    An internal reply is one transaction. An external one must not hold the item's lock
    (on SQLite: every writer of the instance) during an HTTP call of up to 30 s, so it
    claims the item in a short transaction, calls the connector outside it, then records
    the reply (or drops the claim) in another; a reply submitted meanwhile is refused."""
    mention = Mention.objects.select_related("source", "post__author").get(pk=item.mention_id)
    if mention.post_id is not None:
        return _reply_internal(actor, item, mention, text)
    text = clean_reply_text(text, limit=REPLY_MAX_CHARS_EXTERNAL)
    _claim_reply(actor, item)
    try:
        reply_id = _reply_through_connector(item, mention, text)
    except BaseException:
        InboxItem.objects.filter(pk=item.pk).update(reply_claimed_at=None)
        raise
    with transaction.atomic():
        item = _locked(actor, item)
        item.reply_external_id = reply_id
        item.reply_text = text
        item.reply_claimed_at = None
        _respond(item, actor, _move(item, "reply"))
        item.save(update_fields=["state", "reply_external_id", "reply_text",
                                 "reply_claimed_at", "first_response_at", "responded_by"])
    return item


@transaction.atomic
def _reply_internal(actor: User, item: InboxItem, mention: Mention, text: str) -> InboxItem:
    item = _locked(actor, item)
    target = _move(item, "reply")
    item.reply_post = _reply_on_network(item, mention, text)
    item.reply_text = item.reply_post.text
    _respond(item, actor, target)
    item.save(update_fields=["state", "reply_post", "reply_text", "first_response_at",
                             "responded_by"])
    return item


@transaction.atomic
def _claim_reply(actor: User, item: InboxItem) -> None:
    item = _locked(actor, item)
    _move(item, "reply")
    now = timezone.now()
    if item.reply_claimed_at is not None and now - item.reply_claimed_at < REPLY_CLAIM_TIMEOUT:
        raise TransitionRefused(_("A reply to this item is being sent right now."),
                                field="state")
    item.reply_claimed_at = now
    item.save(update_fields=["reply_claimed_at"])


def _reply_on_network(item: InboxItem, mention: Mention, text: str) -> Post:
    parent = mention.post
    if parent.deleted_at is not None:
        raise ReplyUnavailable(_("The post was deleted: there is nothing to reply to."))
    prefix = f"@{parent.author.handle} "
    limit = settings.POST_MAX_CHARS - len(prefix)
    text = clean_reply_text(text, limit=limit)
    if not text.lower().startswith(prefix.lower().strip()):
        text = prefix + text
    try:
        return publish_post(item.organisation, text, in_reply_to=parent,
                            visibility=parent.visibility)
    except NotFound as error:
        raise ReplyUnavailable(
            _("%(name)s cannot see this post any more, so it cannot reply to it.")
            % {"name": item.organisation.name}
        ) from error


def reply_sources(item: InboxItem, mention: Mention) -> list[Source]:
    """The sources that may answer `mention` for the item's organisation: its OWN sources
    of the kind that collected the mention, the collecting one first. Mentions are shared
    (dedup is global on network and id): the source that stored one may belong to another
    organisation, whose credentials must never post for this one."""
    if mention.source is None:
        return []
    own = Source.objects.filter(organisation_id=item.organisation_id, kind=mention.source.kind)
    return sorted(own, key=lambda source: (source.pk != mention.source_id, source.pk))


def _reply_through_connector(item: InboxItem, mention: Mention, text: str) -> str:
    """Post through a connector of the organisation's own sources (`reply_sources`); the
    reply's id on the other network, or "" when the connector gives none. A source that
    cannot reply (no token, another instance, token refused) posts nothing: the next is
    tried."""
    from voliere.listening.sources.base import ReplyNotPossible
    from voliere.listening.sources.registry import connector_for

    try:
        sources = reply_sources(item, mention)
        if not sources:
            raise ReplyNotPossible(
                _("%(name)s has no source of this network that can post")
                % {"name": item.organisation.name})
        try:
            connector = connector_for(sources[0].kind)
        except InvalidInput as error:
            raise ReplyNotPossible(error.message) from error
        reply_id, refusal = None, None
        for source in sources:
            try:
                reply_id = connector.reply(source, mention, text)
                break
            except ReplyNotPossible as error:
                refusal = error
        else:
            raise refusal  # type: ignore[misc]
    except ReplyNotPossible as error:
        raise ReplyUnavailable(
            _("Cannot reply from here: %(reason)s. Reply on %(network)s, then mark it "
              "answered.") % {"reason": error.message.rstrip("."), "network": mention.network}
        ) from error
    return str(reply_id or "")


def _respond(item: InboxItem, actor: User, target: str) -> None:
    item.state = target
    if item.first_response_at is None:
        item.first_response_at = timezone.now()
        item.responded_by = actor


@transaction.atomic
def mark_answered(actor: User, item: InboxItem) -> InboxItem:
    """The mention was answered elsewhere (by phone, on the other network…)."""
    item = _locked(actor, item)
    _respond(item, actor, _move(item, "mark_answered"))
    item.save(update_fields=["state", "first_response_at", "responded_by"])
    return item


@transaction.atomic
def close_item(actor: User, item: InboxItem) -> InboxItem:
    """Nothing more to do (answered, or not worth an answer). Closing without an answer
    leaves `first_response_at` empty: it does not count as a response."""
    item = _locked(actor, item)
    item.state = _move(item, "close")
    item.closed_at = timezone.now()
    item.save(update_fields=["state", "closed_at"])
    return item


@transaction.atomic
def reopen_item(actor: User, item: InboxItem) -> InboxItem:
    item = _locked(actor, item)
    item.state = _move(item, "reopen")
    item.closed_at = None
    item.save(update_fields=["state", "closed_at"])
    return item
