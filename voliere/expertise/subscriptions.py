"""Which expertise events enqueue which tasks (connected in `apps.ready`)."""

from __future__ import annotations

from typing import Any

from voliere.core.events import subscribe
from voliere.expertise import tasks


def _question_routed(question_id: int, **_: Any) -> None:
    tasks.notify_experts_task.enqueue(question_id)


def connect() -> None:
    subscribe("expertise.question_routed", _question_routed)
