"""The validated space: submit, validate, reject, withdraw, and what a new revision does.

State table (`ReviewState`, stored on the item; every step is a `ValidationEvent`):

    free      --submit-->    submitted      (an author; articles must be published)
    rejected  --submit-->    submitted
    submitted --validate-->  validated      (a validator of the item's space, not an author)
    submitted --reject-->    rejected       (same, with a comment saying why)
    submitted --withdraw-->  free           (an author)
    validated --withdraw-->  free
    submitted/validated --new revision--> submitted   (`revision_changed`)

A validator decides on a named revision (`revision=`): if the text changed while they were
reading, the decision is refused instead of applying to a text they did not see. The row is
locked (`select_for_update`) for the whole step, so two validators cannot both decide.

After commit: `knowledge.validation_requested(kind, item_id, actor_id)` (validators are told)
and `knowledge.validation_decided(kind, item_id, actor_id)` (authors are told).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.communities.access import can_administer
from voliere.communities.models import Community
from voliere.core.events import emit
from voliere.core.exceptions import Forbidden, InvalidInput
from voliere.knowledge.access import access_article, access_thread, is_article_author, is_validator
from voliere.knowledge.models import (
    Article,
    ReviewAction,
    ReviewState,
    Thread,
    ValidationEvent,
    ValidatorRole,
)
from voliere.knowledge.models.base import KnowledgeItem

REVIEW_COMMENT_MAX = 2000


def item_kind(item: KnowledgeItem) -> str:
    """ "article" or "thread": the notification subject type and event payload."""
    return "article" if isinstance(item, Article) else "thread"


def _is_author(viewer: Account, item: KnowledgeItem) -> bool:
    if isinstance(item, Article):
        return is_article_author(viewer, item)
    return item.author_id == viewer.pk


def _locked(viewer: Account, item: KnowledgeItem) -> KnowledgeItem:
    """The item re-read through the viewer's visibility, then locked for this transaction."""
    if isinstance(item, Article):
        access_article(viewer, item.pk)
        return (
            Article.objects.select_for_update(of=("self",))
            .select_related("community")
            .get(pk=item.pk)
        )
    access_thread(viewer, item.pk)
    return (
        Thread.objects.select_for_update(of=("self",)).select_related("community").get(pk=item.pk)
    )


def _record(item: KnowledgeItem, actor: Account, action: str, comment: str = "") -> None:
    ValidationEvent.objects.create(
        **{item_kind(item): item},
        revision=item.revision,
        action=action,
        actor=actor,
        comment=comment,
    )


def _save_state(item: KnowledgeItem) -> None:
    item.save(update_fields=["review_state", "submitted_at", "validated_revision", "validated_at"])


@transaction.atomic
def submit_for_validation(viewer: Account, item: KnowledgeItem) -> KnowledgeItem:
    item = _locked(viewer, item)
    if not _is_author(viewer, item):
        raise Forbidden(_("Only the authors may submit this for validation."))
    if isinstance(item, Article) and item.is_draft:
        raise InvalidInput(_("Publish the article before submitting it for validation."))
    if item.review_state not in (ReviewState.FREE, ReviewState.REJECTED):
        raise InvalidInput(_("This is already submitted or validated."))
    item.review_state = ReviewState.SUBMITTED
    item.submitted_at = timezone.now()
    _save_state(item)
    _record(item, viewer, ReviewAction.SUBMITTED)
    emit(
        "knowledge.validation_requested",
        kind=item_kind(item),
        item_id=item.pk,
        actor_id=viewer.pk,
    )
    return item


def _decide(
    viewer: Account, item: KnowledgeItem, *, revision: int, outcome: str, comment: str
) -> KnowledgeItem:
    item = _locked(viewer, item)
    if not is_validator(viewer, item):
        raise Forbidden(_("You are not a validator for this space."))
    if _is_author(viewer, item):
        raise Forbidden(_("Authors cannot validate their own work."))
    if item.review_state != ReviewState.SUBMITTED:
        raise InvalidInput(_("This is not waiting for validation."))
    if revision != item.revision:
        raise InvalidInput(
            _(
                "Revision %(seen)s is no longer the current one (now %(current)s): "
                "review the new text first."
            )
            % {"seen": revision, "current": item.revision},
            field="revision",
        )
    now = timezone.now()
    item.review_state = outcome
    if outcome == ReviewState.VALIDATED:
        item.validated_revision = item.revision
        item.validated_at = now
    _save_state(item)
    action = ReviewAction.VALIDATED if outcome == ReviewState.VALIDATED else ReviewAction.REJECTED
    _record(item, viewer, action, comment)
    emit("knowledge.validation_decided", kind=item_kind(item), item_id=item.pk, actor_id=viewer.pk)
    return item


@transaction.atomic
def validate_item(
    viewer: Account, item: KnowledgeItem, *, revision: int, comment: str = ""
) -> KnowledgeItem:
    comment = (comment or "").strip()[:REVIEW_COMMENT_MAX]
    return _decide(viewer, item, revision=revision, outcome=ReviewState.VALIDATED, comment=comment)


@transaction.atomic
def reject_item(
    viewer: Account, item: KnowledgeItem, *, revision: int, comment: str
) -> KnowledgeItem:
    """A rejection must say why: the authors read the comment to fix the item."""
    comment = (comment or "").replace("\x00", "").strip()
    if not comment:
        raise InvalidInput(_("Say why this is rejected."), field="comment")
    if len(comment) > REVIEW_COMMENT_MAX:
        raise InvalidInput(
            _("A review comment has at most %(max)s characters.") % {"max": REVIEW_COMMENT_MAX},
            field="comment",
        )
    return _decide(viewer, item, revision=revision, outcome=ReviewState.REJECTED, comment=comment)


@transaction.atomic
def withdraw_from_validation(viewer: Account, item: KnowledgeItem) -> KnowledgeItem:
    """An author takes the item back to the free space (its history stays)."""
    item = _locked(viewer, item)
    if not _is_author(viewer, item):
        raise Forbidden(_("Only the authors may withdraw this."))
    if item.review_state not in (ReviewState.SUBMITTED, ReviewState.VALIDATED):
        raise InvalidInput(_("This is not in the validated space."))
    item.review_state = ReviewState.FREE
    _save_state(item)
    _record(item, viewer, ReviewAction.WITHDRAWN)
    return item


def revision_changed(viewer: Account, item: KnowledgeItem) -> None:
    """Called by the edit actions, inside their transaction, after `item.revision` grew.

    A submitted or validated item goes (back) to review: the badge disappears until a
    validator approves the new revision; `validated_revision` keeps pointing at the last
    approved one. Free and rejected items stay where they are.
    """
    if item.review_state not in (ReviewState.SUBMITTED, ReviewState.VALIDATED):
        return
    item.review_state = ReviewState.SUBMITTED
    item.submitted_at = timezone.now()
    _save_state(item)
    _record(item, viewer, ReviewAction.RESUBMITTED)
    emit(
        "knowledge.validation_requested",
        kind=item_kind(item),
        item_id=item.pk,
        actor_id=viewer.pk,
    )


def _is_instance_admin(account: Account) -> bool:
    user = getattr(account, "user", None) if account.kind == "person" else None
    return bool(user is not None and user.is_active and user.is_staff)


@transaction.atomic
def grant_validator(
    granter: Account, account: Account, *, community: Community | None = None
) -> bool:
    """Make `account` a validator of the instance's validated space (granted by instance
    administrators) or of `community` (granted by its administrators). True if new."""
    if community is None:
        allowed = _is_instance_admin(granter)
    else:
        allowed = can_administer(granter, community)
    if not allowed:
        raise Forbidden(_("You may not grant the validator role here."))
    if account.is_suspended:
        raise InvalidInput(_("This account is suspended."), field="account")
    _role, created = ValidatorRole.objects.get_or_create(
        account=account, community=community, defaults={"granted_by": granter}
    )
    return created


@transaction.atomic
def revoke_validator(
    granter: Account, account: Account, *, community: Community | None = None
) -> bool:
    allowed = (
        _is_instance_admin(granter) if community is None else can_administer(granter, community)
    )
    if not allowed:
        raise Forbidden(_("You may not revoke the validator role here."))
    deleted, _ignored = ValidatorRole.objects.filter(account=account, community=community).delete()
    return bool(deleted)
