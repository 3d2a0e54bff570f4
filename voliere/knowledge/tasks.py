"""Knowledge notification tasks: thin, idempotent (see `notify`)."""

from __future__ import annotations

from voliere.core.tasks import retrying_task
from voliere.knowledge import notify


@retrying_task(queue_name="notifications")
def answer_posted_task(answer_id: int) -> None:
    notify.answer_posted(answer_id)


@retrying_task(queue_name="notifications")
def answer_accepted_task(answer_id: int, actor_id: int) -> None:
    notify.answer_accepted(answer_id, actor_id)


@retrying_task(queue_name="notifications")
def comment_posted_task(comment_id: int) -> None:
    notify.comment_posted(comment_id)


@retrying_task(queue_name="notifications")
def validation_requested_task(kind: str, item_id: int, actor_id: int) -> None:
    notify.validation_requested(kind, item_id, actor_id)


@retrying_task(queue_name="notifications")
def validation_decided_task(kind: str, item_id: int, actor_id: int) -> None:
    notify.validation_decided(kind, item_id, actor_id)
