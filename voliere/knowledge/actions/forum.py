"""Forum threads: ask, edit the question (a new revision), answer, vote, accept.

Same contract as the article actions. After commit:

- `knowledge.thread_saved(thread_id)`: asked or edited (search indexing);
- `knowledge.answer_posted(answer_id)`: the asker is told;
- `knowledge.answer_accepted(answer_id, actor_id)`: the answer's author is told.

Timestamps for the time-to-answer report: `Thread.first_answer_at` is set by the first
answer (a conditional UPDATE, so two simultaneous first answers keep the earlier time) and
never cleared; `Thread.accepted_at` is when the current accepted answer was chosen.

A question's attachments (`media`, see `voliere.media.attach`) are attached last in the
transaction that asks or edits it: a refused file leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.communities.access import can_post
from voliere.communities.models import Community
from voliere.core.events import emit
from voliere.core.exceptions import Forbidden, InvalidInput, NotFound
from voliere.knowledge.access import access_thread, can_accept_answer, visible_answers
from voliere.knowledge.actions import _common
from voliere.knowledge.actions.review import revision_changed
from voliere.knowledge.models import Answer, AnswerVote, Thread
from voliere.knowledge.models.thread import ANSWER_MAX
from voliere.media.attach import attach_media
from voliere.media.validation import PreparedMedia


def resolve_community(viewer: Account, raw: str | int | None) -> Community | None:
    """The community a question is asked in (None: instance-wide). Unknown ids and
    communities the viewer may not post in get the same message, so a secret community's
    existence never leaks."""
    if raw in (None, ""):
        return None
    community = None
    if str(raw).isascii() and str(raw).isdigit():
        community = Community.objects.filter(pk=int(raw)).first()
    if community is None or not can_post(viewer, community):
        raise InvalidInput(
            _("No such community, or you are not a member of it."), field="community"
        )
    return community


@transaction.atomic
def ask_question(
    viewer: Account,
    *,
    title: str,
    body: str,
    tags: str | list[str] = "",
    community: Community | None = None,
    visibility: str = "internal",
    media: Sequence[PreparedMedia] = (),
) -> Thread:
    if community is not None and not can_post(viewer, community):
        raise InvalidInput(
            _("No such community, or you are not a member of it."), field="community"
        )
    thread = Thread(
        author=viewer, community=community, visibility=_common.clean_visibility(visibility)
    )
    _common.set_text(thread, title=_common.clean_title(title), body=_common.clean_body(body))
    thread.save(force_insert=True)
    names = _common.set_tags(thread, tags)
    _common.write_revision(thread, editor=viewer, tags=names)
    if media:
        attach_media(viewer, thread, prepared=media, field="media_1")
    emit("knowledge.thread_saved", thread_id=thread.pk)
    return thread


@transaction.atomic
def edit_question(
    viewer: Account,
    thread: Thread,
    *,
    title: str,
    body: str,
    tags: str | list[str] = "",
    media: Sequence[PreparedMedia] = (),
) -> Thread:
    """The asker edits; a change makes a new revision (and sends a validated or submitted
    question back to review). New `media` go after the question's attachments (at most
    four in all); attachments alone make no new revision."""
    thread = access_thread(viewer, thread.pk)
    if thread.author_id != viewer.pk:
        raise Forbidden(_("Only the person who asked may edit the question."))
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    title, body = _common.clean_title(title), _common.clean_body(body)
    before = (thread.title, thread.body, _common.tag_names(thread))
    _common.set_text(thread, title=title, body=body)
    names = _common.set_tags(thread, tags)
    changed = before != (thread.title, thread.body, names)
    if changed:
        thread.revision += 1
        thread.updated_at = timezone.now()
        _common.write_revision(thread, editor=viewer, tags=names)
        thread.save()
        revision_changed(viewer, thread)
    if media:
        attach_media(viewer, thread, prepared=media, field="media_1")
    if changed or media:
        emit("knowledge.thread_saved", thread_id=thread.pk)
    return thread


@transaction.atomic
def answer_question(viewer: Account, thread: Thread, body: str) -> Answer:
    thread = access_thread(viewer, thread.pk)
    if viewer.is_suspended:
        raise Forbidden(_("Suspended accounts cannot answer."))
    if thread.community_id is not None and not can_post(viewer, thread.community):
        raise Forbidden(_("Join the community to answer."))
    body = _common.clean_body(body, limit=ANSWER_MAX)
    now = timezone.now()
    answer = Answer(thread=thread, author=viewer, body=body, created_at=now)
    answer.body_html = _common.markdown.render(body)
    answer.save(force_insert=True)
    Thread.objects.filter(pk=thread.pk).update(
        answers_count=F("answers_count") + 1, last_activity_at=now
    )
    Thread.objects.filter(pk=thread.pk, first_answer_at__isnull=True).update(first_answer_at=now)
    emit("knowledge.answer_posted", answer_id=answer.pk)
    return answer


def access_answer(viewer: Account | None, answer_id: int | str) -> Answer:
    """The answer if the viewer may see it and its thread; NotFound otherwise."""
    try:
        pk = int(answer_id)
    except (TypeError, ValueError):
        raise NotFound(_("No such answer.")) from None
    thread_id = Answer.objects.filter(pk=pk).values_list("thread_id", flat=True).first()
    if thread_id is None:
        raise NotFound(_("No such answer."))
    thread = access_thread(viewer, thread_id)
    answer = visible_answers(viewer, thread).filter(pk=pk).select_related("author").first()
    if answer is None:
        raise NotFound(_("No such answer."))
    answer.thread = thread
    return answer


def _recount(answer_id: int) -> None:
    """Score from the vote rows (not +1/-1): idempotent and exact under concurrency."""
    votes = (
        AnswerVote.objects.filter(answer=OuterRef("pk"))
        .values("answer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Answer.objects.filter(pk=answer_id).update(score=Coalesce(Subquery(votes), 0))


@transaction.atomic
def vote_for_answer(viewer: Account, answer: Answer) -> bool:
    """Up-vote (see `voliere.knowledge.models.thread` for why there is no down-vote).
    True if the vote was new. A second vote, even a concurrent one, changes nothing:
    the unique constraint refuses the second row."""
    answer = access_answer(viewer, answer.pk)
    if answer.author_id == viewer.pk:
        raise InvalidInput(_("You cannot vote for your own answer."))
    try:
        with transaction.atomic():
            AnswerVote.objects.create(answer=answer, voter=viewer)
    except IntegrityError:
        return False
    _recount(answer.pk)
    return True


@transaction.atomic
def withdraw_vote(viewer: Account, answer: Answer) -> bool:
    answer = access_answer(viewer, answer.pk)
    deleted, _ignored = AnswerVote.objects.filter(answer=answer, voter=viewer).delete()
    if deleted:
        _recount(answer.pk)
    return bool(deleted)


@transaction.atomic
def accept_answer(viewer: Account, answer: Answer) -> Thread:
    """The asker, or a moderator of the thread's community, accepts one answer (replacing a
    previously accepted one)."""
    answer = access_answer(viewer, answer.pk)
    thread = (
        Thread.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=answer.thread_id)
    )
    if not can_accept_answer(viewer, thread):
        raise Forbidden(_("Only the person who asked, or a moderator, may accept an answer."))
    if thread.accepted_answer_id == answer.pk:
        return thread
    now = timezone.now()
    thread.accepted_answer = answer
    thread.accepted_at = now
    thread.last_activity_at = now
    thread.save(update_fields=["accepted_answer", "accepted_at", "last_activity_at"])
    emit("knowledge.answer_accepted", answer_id=answer.pk, actor_id=viewer.pk)
    return thread


@transaction.atomic
def unaccept_answer(viewer: Account, thread: Thread) -> Thread:
    thread = access_thread(viewer, thread.pk)
    thread = (
        Thread.objects.select_for_update(of=("self",)).select_related("community").get(pk=thread.pk)
    )
    if not can_accept_answer(viewer, thread):
        raise Forbidden(_("Only the person who asked, or a moderator, may change this."))
    thread.accepted_answer = None
    thread.accepted_at = None
    thread.save(update_fields=["accepted_answer", "accepted_at"])
    return thread
