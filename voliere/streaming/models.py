"""The stream event log: what happened, written after commit, read by every server process.

Each server process keeps its streaming connections in memory; a change made in another
process (a request served by another uvicorn worker, a task worker creating a
notification) reaches them through this table. A row holds ids and audience hints only,
never rendered text: payloads are built at delivery time, per viewer, through the same
visibility rules as every page. Rows are short-lived (see `prune_stream_events`).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class EventKind(models.TextChoices):
    UPDATE = "update"  # a post (or repost) was published
    STATUS_UPDATE = "status.update"  # a post was edited
    DELETE = "delete"  # a post (or repost) was deleted
    NOTIFICATION = "notification"  # a notification row was created


class StreamEvent(models.Model):
    """One event for the streaming API and the web's live updates.

    `id` is the dispatcher's cursor: each process reads `id > last_seen` from the primary
    key index. Hints (`author_id`, `visibility`, `hashtags`…) are copied at write time so
    a `delete` still knows where the post could have been shown after its row is gone.
    """

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    post_id = models.BigIntegerField(null=True, blank=True)
    notification_id = models.BigIntegerField(null=True, blank=True)
    # The notification's recipient, or the post's author.
    account_id = models.BigIntegerField(null=True, blank=True)
    # For posts: the reposted post's author and id, the replied-to account, the visibility.
    original_author_id = models.BigIntegerField(null=True, blank=True)
    reblog_of_id = models.BigIntegerField(null=True, blank=True)
    in_reply_to_account_id = models.BigIntegerField(null=True, blank=True)
    visibility = models.CharField(max_length=10, blank=True, default="")
    # {"hashtags": [...], "mentioned": [...]}: JSON so the hints can grow without migrations.
    hints = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["post_id", "-id"], name="stream_event_post_idx")]

    def __str__(self) -> str:
        return f"{self.id}:{self.kind}:{self.post_id or self.notification_id}"
