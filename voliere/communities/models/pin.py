"""Posts pinned at the top of a community page by its moderators."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Pin(models.Model):
    """The pinned post belongs to the community (`post.community_id == community_id`); it
    is still shown only to viewers `visible_to` lets see it."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="pins"
    )
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    pinned_by = models.ForeignKey(
        "accounts.Account", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "post"], name="pin_unique")]
