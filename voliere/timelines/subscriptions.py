"""Which events enqueue which timeline tasks (connected in TimelinesConfig.ready)."""

from __future__ import annotations

from typing import Any

from voliere.core.events import subscribe
from voliere.timelines import tasks


def _published(post_id: int, **_: Any) -> None:
    tasks.fan_out_post_task.enqueue(post_id)


def _deleted(post_id: int, **_: Any) -> None:
    tasks.remove_post_task.enqueue(post_id)


def _unfollowed(follower_id: int, followee_id: int, **_: Any) -> None:
    tasks.remove_author_from_home_task.enqueue(follower_id, followee_id)


def _followed(follower_id: int, followee_id: int, **_: Any) -> None:
    tasks.backfill_after_follow_task.enqueue(follower_id, followee_id)


def _blocked(blocker_id: int, blocked_id: int, **_: Any) -> None:
    tasks.remove_author_from_home_task.enqueue(blocker_id, blocked_id, True)
    tasks.remove_author_from_home_task.enqueue(blocked_id, blocker_id, True)


def connect() -> None:
    subscribe("post.published", _published)
    subscribe("post.deleted", _deleted)
    subscribe("account.unfollowed", _unfollowed)
    subscribe("account.followed", _followed)
    subscribe("account.blocked", _blocked)
