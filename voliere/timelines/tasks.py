"""Timeline tasks: thin, idempotent wrappers over `voliere.timelines.fanout`."""

from __future__ import annotations

from voliere.core.tasks import retrying_task
from voliere.timelines import fanout


@retrying_task(queue_name="timelines")
def fan_out_post_task(post_id: int) -> int:
    return fanout.fan_out_post(post_id)


@retrying_task(queue_name="timelines")
def remove_post_task(post_id: int) -> None:
    fanout.remove_post(post_id)


@retrying_task(queue_name="timelines")
def remove_author_from_home_task(
    owner_id: int, author_id: int, with_reposts_of: bool = False
) -> None:
    fanout.remove_author_from_home(owner_id, author_id, with_reposts_of=with_reposts_of)


@retrying_task(queue_name="timelines")
def backfill_after_follow_task(follower_id: int, followee_id: int) -> None:
    fanout.backfill_after_follow(follower_id, followee_id)
