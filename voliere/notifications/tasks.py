"""Notification tasks: thin and idempotent (dedup keys)."""

from __future__ import annotations

from voliere.core.tasks import retrying_task
from voliere.notifications import actions


@retrying_task(queue_name="notifications")
def notify_post_published_task(post_id: int, mentioned_ids: list[int]) -> None:
    actions.notify_post_published(post_id, mentioned_ids)


@retrying_task(queue_name="notifications")
def notify_post_liked_task(post_id: int, account_id: int) -> None:
    actions.notify_post_liked(post_id, account_id)


@retrying_task(queue_name="notifications")
def notify_followed_task(follower_id: int, followee_id: int) -> None:
    actions.notify_followed(follower_id, followee_id)


@retrying_task(queue_name="notifications")
def forget_post_task(post_id: int) -> None:
    actions.forget_post(post_id)
