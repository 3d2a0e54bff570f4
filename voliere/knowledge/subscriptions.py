"""Which knowledge events enqueue which notification tasks (connected in `apps.ready`)."""

from __future__ import annotations

from typing import Any

from voliere.core.events import subscribe
from voliere.knowledge import tasks


def _answer_posted(answer_id: int, **_: Any) -> None:
    tasks.answer_posted_task.enqueue(answer_id)


def _answer_accepted(answer_id: int, actor_id: int, **_: Any) -> None:
    tasks.answer_accepted_task.enqueue(answer_id, actor_id)


def _comment_posted(comment_id: int, **_: Any) -> None:
    tasks.comment_posted_task.enqueue(comment_id)


def _validation_requested(kind: str, item_id: int, actor_id: int, **_: Any) -> None:
    tasks.validation_requested_task.enqueue(kind, item_id, actor_id)


def _validation_decided(kind: str, item_id: int, actor_id: int, **_: Any) -> None:
    tasks.validation_decided_task.enqueue(kind, item_id, actor_id)


def connect() -> None:
    subscribe("knowledge.answer_posted", _answer_posted)
    subscribe("knowledge.answer_accepted", _answer_accepted)
    subscribe("knowledge.comment_posted", _comment_posted)
    subscribe("knowledge.validation_requested", _validation_requested)
    subscribe("knowledge.validation_decided", _validation_decided)
