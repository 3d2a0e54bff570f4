"""List tasks: thin, idempotent wrappers over `voliere.lists.actions`."""

from __future__ import annotations

from voliere.core.tasks import retrying_task
from voliere.lists import actions


@retrying_task(queue_name="default")
def forget_member_task(owner_id: int, account_id: int) -> None:
    actions.forget_member_everywhere(owner_id, account_id)
