"""Streaming tasks: pruning the event log (enqueued every few hundred events)."""

from __future__ import annotations

from voliere.core.tasks import retrying_task
from voliere.streaming import recording


@retrying_task(queue_name="default")
def prune_stream_events_task() -> int:
    return recording.prune_stream_events()
