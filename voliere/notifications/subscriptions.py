"""Which events enqueue which notification tasks (connected in NotificationsConfig.ready)."""

from __future__ import annotations

from typing import Any

from voliere.core.events import subscribe
from voliere.notifications import tasks


def _published(post_id: int, mentioned_ids: list[int], **_: Any) -> None:
    tasks.notify_post_published_task.enqueue(post_id, mentioned_ids)


def _liked(post_id: int, account_id: int, **_: Any) -> None:
    tasks.notify_post_liked_task.enqueue(post_id, account_id)


def _followed(follower_id: int, followee_id: int, **_: Any) -> None:
    tasks.notify_followed_task.enqueue(follower_id, followee_id)


def _deleted(post_id: int, **_: Any) -> None:
    tasks.forget_post_task.enqueue(post_id)


def connect() -> None:
    subscribe("post.published", _published)
    subscribe("post.edited", _published)
    subscribe("post.liked", _liked)
    subscribe("account.followed", _followed)
    subscribe("post.deleted", _deleted)
