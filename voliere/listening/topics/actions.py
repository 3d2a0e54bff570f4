"""Every change to a watch topic: create, edit, delete, pause/resume.

Each validates before writing (name unique per organisation, query parses, kind known) and
raises `InvalidInput` naming the field at fault, so nothing is half-saved. Creating a topic,
or changing what its query means, schedules a backfill over the stored mentions (after
commit); a changed query first bumps `query_version` and deletes the topic's old matches
and hourly counts in the same transaction, so a backfill still running for the old query
stops at its next chunk (see `backfill.run_backfill`) and the charts never mix two queries.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.models import Account, User
from voliere.core.exceptions import InvalidInput
from voliere.listening.models import BackfillState, Topic, TopicHourStat, TopicKind, TopicMatch
from voliere.listening.query import Query, QuerySyntaxError, parse

MAX_NAME = 80
# Every active topic is matched against every collected post: a cap bounds that work.
MAX_TOPICS = 200


def _clean_name(organisation: Account, name: str, *, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_("A topic needs a name."), field="name")
    if len(name) > MAX_NAME:
        raise InvalidInput(_("The name is longer than %(max)d characters.") % {"max": MAX_NAME},
                           field="name")
    taken = Topic.objects.filter(organisation=organisation, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise InvalidInput(_("Another topic is already called “%(name)s”.") % {"name": name},
                           field="name")
    return name


def _clean_kind(kind: str) -> str:
    if kind not in TopicKind.values:
        raise InvalidInput(_("Unknown topic kind “%(kind)s”.") % {"kind": kind}, field="kind")
    return kind


def check_query(text: str) -> Query:
    """The parsed query (its text stripped), or `QuerySyntaxError` (field "query") saying
    what and where; positions count from the start of `text` as typed."""
    text = text or ""
    return Query(text.strip(), parse(text).root)


def _save_unique(topic: Topic, **kwargs: object) -> None:
    """Save; a name taken meanwhile by a concurrent request is a name error, not a 500."""
    try:
        with transaction.atomic():
            topic.save(**kwargs)
    except IntegrityError as error:
        raise InvalidInput(_("Another topic is already called “%(name)s”.")
                           % {"name": topic.name}, field="name") from error


BACKFILL_FIELDS = ["backfill_state", "backfill_total", "backfill_done", "backfill_error"]


def _mark_queued(topic: Topic) -> None:
    topic.backfill_state = BackfillState.QUEUED
    topic.backfill_total = topic.backfill_done = 0
    topic.backfill_error = ""


def _enqueue_backfill(topic: Topic) -> None:
    """Enqueue the saved topic's backfill for its current query version, after commit."""
    from voliere.listening.topics.tasks import backfill_topic_task

    topic_id, version = topic.pk, topic.query_version
    transaction.on_commit(lambda: backfill_topic_task.enqueue(topic_id, version))


@transaction.atomic
def create_topic(organisation: Account, *, name: str, query: str, kind: str = TopicKind.BRAND,
                 is_active: bool = True, created_by: User | None = None) -> Topic:
    if Topic.objects.filter(organisation=organisation).count() >= MAX_TOPICS:
        raise InvalidInput(_("An organisation has at most %(count)d topics: delete one "
                             "first.") % {"count": MAX_TOPICS})
    name = _clean_name(organisation, name)
    kind = _clean_kind(kind)
    query = check_query(query).text
    topic = Topic(organisation=organisation, name=name, query=query, kind=kind,
                  is_active=is_active, created_by=created_by)
    _mark_queued(topic)
    _save_unique(topic)
    _enqueue_backfill(topic)
    return topic


@transaction.atomic
def update_topic(topic: Topic, *, name: str, query: str, kind: str) -> Topic:
    """Rename, re-kind and re-query. A query whose meaning changed (not merely its case,
    accents or spacing) bumps the version, drops the old matches and counts, and backfills."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    name = _clean_name(topic.organisation, name, exclude=topic.pk)
    kind = _clean_kind(kind)
    parsed = check_query(query)
    fields = ["name", "kind", "query", "updated_at"]
    requery = _meaning_changed(topic.query, parsed)
    if requery:
        TopicMatch.objects.filter(topic=topic).delete()
        TopicHourStat.objects.filter(topic=topic).delete()
        topic.query_version += 1
        _mark_queued(topic)
        fields += ["query_version", *BACKFILL_FIELDS]
    topic.name, topic.kind, topic.query = name, kind, parsed.text
    topic.updated_at = timezone.now()
    _save_unique(topic, update_fields=fields)
    if requery:
        _enqueue_backfill(topic)
    return topic


def _meaning_changed(old_text: str, new: Query) -> bool:
    try:
        return parse(old_text).root != new.root
    except QuerySyntaxError:
        return True


@transaction.atomic
def set_topic_active(topic: Topic, active: bool) -> Topic:
    """A paused topic keeps its matches but no longer matches incoming posts."""
    topic.is_active = bool(active)
    topic.updated_at = timezone.now()
    topic.save(update_fields=["is_active", "updated_at"])
    return topic


@transaction.atomic
def delete_topic(topic: Topic) -> None:
    """Deletes the topic with its matches, counts and alerts (cascade); the mentions stay,
    other topics may hold them."""
    Topic.objects.filter(pk=topic.pk).delete()


@transaction.atomic
def request_backfill(topic: Topic) -> Topic:
    """Run the backfill again (after a failure): idempotent, matches are never doubled."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    _mark_queued(topic)
    topic.save(update_fields=BACKFILL_FIELDS)
    _enqueue_backfill(topic)
    return topic
