"""Topic tasks on the "listening" queue: thin, idempotent, tolerant of deleted topics."""

from __future__ import annotations

from voliere.core.tasks import retrying_task
from voliere.listening.topics.backfill import mark_failed, run_backfill


@retrying_task(queue_name="listening")
def backfill_topic_task(topic_id: int, query_version: int) -> str:
    """Match the topic over stored mentions for this query version; a newer version or a
    deleted topic makes it stop. Safe to run twice (matches are saved idempotently)."""
    try:
        return run_backfill(topic_id, query_version).value
    except Exception as error:
        mark_failed(topic_id, query_version, f"{type(error).__name__}: {error}")
        raise
