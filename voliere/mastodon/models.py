"""What the Mastodon API remembers beyond Volière's own posts.

- `StatusPin`: a post its author pinned to their profile (Mastodon's `pin`), at most
  `MAX_PINS` per account; the web profile shows them too.
- `PostedStatus`: which application published a post through the API (the Status
  entity's `application`, shown to the author) and the client's `Idempotency-Key`,
  unique per account while it is fresh, so a retried or doubled request returns the
  first status instead of publishing twice.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

MAX_PINS = 5


class StatusPin(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "post"], name="status_pin_unique")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} pins {self.post_id}"


class PostedStatus(models.Model):
    post = models.OneToOneField(
        "posts.Post", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        "oauth.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Cleared once older than the idempotency window, so the client may reuse the key.
    idempotency_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="posted_status_idempotency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id} by app {self.application_id}"
