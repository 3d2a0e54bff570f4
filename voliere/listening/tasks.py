"""Background work of the ingestion: the internal network's posts, as they change.

Thin, idempotent bodies (a post collected twice is a duplicate; a post deleted before
its task runs is simply not listenable any more), on the "listening" queue.
"""

from __future__ import annotations

from voliere.core.tasks import retrying_task
from voliere.listening import internal


@retrying_task(queue_name="listening")
def collect_post_task(post_id: int) -> None:
    internal.collect_post(post_id)


@retrying_task(queue_name="listening")
def recollect_post_task(post_id: int) -> None:
    internal.recollect_post(post_id)


@retrying_task(queue_name="listening")
def forget_post_task(post_id: int) -> None:
    internal.forget_post(post_id)


@retrying_task(queue_name="listening")
def forget_unlistenable_task() -> None:
    internal.forget_unlistenable()
