"""Background work of the media app."""

from __future__ import annotations

from voliere.core.tasks import retrying_task
from voliere.media.actions import clean_unattached_media


@retrying_task(queue_name="default")
def clean_unattached_media_task() -> int:
    """Delete uploads left unattached for a day and files without a row (idempotent).

    Uploads enqueue it at most once an hour (`actions.schedule_clean_up`); operators may
    also run `voliere manage clean_media` from cron. Cheap when there is nothing to do."""
    return clean_unattached_media()
