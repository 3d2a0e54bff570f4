"""Materialized home timelines (fan-out on write; see docs/architecture.md)."""

from __future__ import annotations

from django.db import models


class TimelineEntry(models.Model):
    """`post` appears in `owner`'s home timeline.

    `author_id` is the post's author and `original_author_id` the reposted post's author,
    copied here so mutes filter entries without joining posts. Pages are read newest
    first by `post_id` (time-ordered), from the (owner, post) unique index.
    """

    owner = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    author_id = models.BigIntegerField()
    original_author_id = models.BigIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "post"], name="timeline_owner_post_unique")
        ]
        indexes = [models.Index(fields=["owner", "author_id"], name="timeline_owner_author_idx")]
