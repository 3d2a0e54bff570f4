"""Matching one topic over the stored mentions, after it is created or its query changes.

`run_backfill(topic_id, query_version)` walks `scope.listened_mentions` by id in chunks of
`CHUNK` and saves matches through `save_matches` (idempotent: a re-run, or live ingestion
matching the same new posts meanwhile, counts nothing twice), updating
`backfill_done`/`backfill_total` after each chunk so the topic list can show progress.
Each chunk is written in a transaction that first locks the topic row and checks that
`query_version` is still the one this run was started for: `update_topic` bumps the
version and deletes the old matches under the same lock, so a run for an older query
stops at its next chunk and never writes matches of a query that is gone.
"""

from __future__ import annotations

import enum
import logging

from django.db import transaction
from django.db.models import F

from voliere.listening.matches import save_matches
from voliere.listening.models import BackfillState, Topic
from voliere.listening.pipeline.matching import compile_topics
from voliere.listening.topics.scope import listened_mentions, scan

logger = logging.getLogger(__name__)
CHUNK = 2000


class Outcome(enum.Enum):
    DONE = "done"
    STALE = "stale"  # the topic is gone or its query changed: nothing more to do


def _current(topic_id: int, version: int, *, lock: bool = False) -> Topic | None:
    topics = Topic.objects.filter(pk=topic_id, query_version=version)
    if lock:
        topics = topics.select_for_update()
    return topics.first()


def run_backfill(topic_id: int, query_version: int, *, chunk_size: int = CHUNK) -> Outcome:
    topic = _current(topic_id, query_version)
    if topic is None:
        return Outcome.STALE
    scope = listened_mentions(topic.organisation)
    total = scope.count()
    Topic.objects.filter(pk=topic_id, query_version=query_version).update(
        backfill_state=BackfillState.RUNNING, backfill_total=total, backfill_done=0,
        backfill_error="")
    matcher = compile_topics([(topic_id, topic.query)])
    for chunk in scan(scope, matcher, size=chunk_size):
        with transaction.atomic():
            if _current(topic_id, query_version, lock=True) is None:
                logger.info("backfill of topic %s v%s stopped: query changed or topic deleted",
                            topic_id, query_version)
                return Outcome.STALE
            save_matches((topic_id, mention) for mention in chunk.matched)
            # Mentions collected during the run make `done` pass the first count.
            Topic.objects.filter(pk=topic_id).update(
                backfill_done=F("backfill_done") + chunk.read)
    with transaction.atomic():
        if _current(topic_id, query_version, lock=True) is None:
            return Outcome.STALE
        Topic.objects.filter(pk=topic_id).update(
            backfill_state=BackfillState.IDLE,
            backfill_total=F("backfill_done"),
        )
    return Outcome.DONE


def mark_failed(topic_id: int, query_version: int, error: str) -> None:
    """Record a failed attempt (the task retries; the list shows the error meanwhile)."""
    Topic.objects.filter(pk=topic_id, query_version=query_version).update(
        backfill_state=BackfillState.FAILED, backfill_error=error[:2000])
