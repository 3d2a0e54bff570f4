"""Source polling as tasks on the "listening" queue (thin: each calls `polling`)."""

from __future__ import annotations

from voliere.core.tasks import retrying_task
from voliere.listening.sources.polling import poll_due_sources, poll_source


@retrying_task(queue_name="listening")
def poll_source_task(source_id: int) -> None:
    """Poll one source now ("poll now" on its page). A deleted or paused source is skipped;
    running twice only finds duplicates."""
    poll_source(source_id)


@retrying_task(queue_name="listening")
def poll_due_sources_task() -> None:
    """One round of the poller: the due sources, each claimed so no one polls it twice."""
    poll_due_sources()
