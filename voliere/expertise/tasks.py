"""Expertise background tasks: thin and idempotent (see `notify`)."""

from __future__ import annotations

from voliere.core.tasks import retrying_task
from voliere.expertise import notify


@retrying_task(queue_name="notifications")
def notify_experts_task(question_id: int) -> None:
    notify.notify_experts(question_id)
