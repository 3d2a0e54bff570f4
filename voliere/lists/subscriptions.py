"""Unfollowing or blocking someone takes them out of your lists (as on Mastodon)."""

from __future__ import annotations

from typing import Any

from voliere.core.events import subscribe
from voliere.lists import tasks


def _unfollowed(follower_id: int, followee_id: int, **_: Any) -> None:
    tasks.forget_member_task.enqueue(follower_id, followee_id)


def _blocked(blocker_id: int, blocked_id: int, **_: Any) -> None:
    tasks.forget_member_task.enqueue(blocker_id, blocked_id)
    tasks.forget_member_task.enqueue(blocked_id, blocker_id)


def connect() -> None:
    subscribe("account.unfollowed", _unfollowed)
    subscribe("account.blocked", _blocked)
