"""Writing the stream event log, from the domain events (after commit).

Subscribed in `StreamingConfig.ready`. Each handler appends one `StreamEvent` row with
the ids and audience hints the dispatchers need; it runs after the change committed, so a
rolled-back post never streams. Every `PRUNE_EVERY` rows, a pruning task is enqueued:
the log stays a few minutes deep without a scheduler.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from voliere.core.events import subscribe
from voliere.posts.models import Mention, Post, PostHashtag
from voliere.streaming.models import EventKind, StreamEvent

logger = logging.getLogger(__name__)

PRUNE_EVERY = 500


def _post_hints(post: Post) -> dict[str, Any]:
    """The columns of a post event: who wrote it, where it may appear, who it mentions."""
    target_id = post.reblog_of_id or post.id
    hashtags = sorted(
        PostHashtag.objects.filter(post_id=target_id).values_list("hashtag__name", flat=True)
    )
    mentioned = sorted(Mention.objects.filter(post_id=post.id).values_list("account_id", flat=True))
    return {
        "account_id": post.author_id,
        "original_author_id": post.reblog_of.author_id if post.reblog_of_id else None,
        "reblog_of_id": post.reblog_of_id,
        "in_reply_to_account_id": post.in_reply_to_account_id,
        "visibility": post.visibility,
        "hints": {"hashtags": hashtags, "mentioned": mentioned},
    }


def _append(**fields: Any) -> StreamEvent:
    event = StreamEvent.objects.create(**fields)
    if event.id % PRUNE_EVERY == 0:
        from voliere.streaming.tasks import prune_stream_events_task

        prune_stream_events_task.enqueue()
    return event


def record_post_event(kind: str, post_id: int) -> StreamEvent | None:
    """An `update` or `status.update` row for a live post (None if it is already gone)."""
    post = Post.objects.select_related("reblog_of").filter(pk=post_id).first()
    if post is None or post.deleted_at is not None:
        return None
    return _append(kind=kind, post_id=post.id, **_post_hints(post))


def record_post_deleted(post_id: int) -> StreamEvent:
    """A `delete` row. Hints come from the tombstone, or else (a repost's row is removed)
    from the post's last logged event; with neither, they are left empty and the delete
    goes to signed-in home streams only (reposts are always public or internal)."""
    post = Post.objects.select_related("reblog_of").filter(pk=post_id).first()
    earlier = StreamEvent.objects.filter(post_id=post_id).exclude(kind=EventKind.DELETE)
    earlier = earlier.order_by("-id").first()
    if post is not None:
        fields = _post_hints(post)
        if earlier is not None:  # the tombstone lost its hashtags
            fields["hints"]["hashtags"] = earlier.hints.get("hashtags", [])
    elif earlier is not None:
        fields = {
            "account_id": earlier.account_id,
            "original_author_id": earlier.original_author_id,
            "reblog_of_id": earlier.reblog_of_id,
            "in_reply_to_account_id": earlier.in_reply_to_account_id,
            "visibility": earlier.visibility,
            "hints": earlier.hints,
        }
    else:
        fields = {}
    return _append(kind=EventKind.DELETE, post_id=post_id, **fields)


def record_notification(notification_id: int, recipient_id: int) -> StreamEvent:
    return _append(
        kind=EventKind.NOTIFICATION, notification_id=notification_id, account_id=recipient_id
    )


def prune_stream_events(*, older_than: timedelta | None = None) -> int:
    """Delete log rows older than the retention (`STREAMING_EVENT_RETENTION` seconds).

    Connections only ever read rows newer than when their process started polling, so a
    row older than a few polling intervals is history; the retention keeps enough of it
    for `delete` events to find where a post had been shown."""
    age = older_than or timedelta(seconds=settings.STREAMING_EVENT_RETENTION)
    deleted, _ = StreamEvent.objects.filter(created_at__lt=timezone.now() - age).delete()
    return deleted


def _published(post_id: int, **_: Any) -> None:
    record_post_event(EventKind.UPDATE, post_id)


def _edited(post_id: int, **_: Any) -> None:
    record_post_event(EventKind.STATUS_UPDATE, post_id)


def _deleted(post_id: int, **_: Any) -> None:
    record_post_deleted(post_id)


def _notified(notification_id: int, recipient_id: int, **_: Any) -> None:
    record_notification(notification_id, recipient_id)


def connect() -> None:
    subscribe("post.published", _published)
    subscribe("post.edited", _edited)
    subscribe("post.deleted", _deleted)
    subscribe("notification.created", _notified)
