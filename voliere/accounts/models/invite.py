from __future__ import annotations

from django.db import models
from django.utils import timezone


class Invite(models.Model):
    """An invitation code for `VOLIERE_SIGNUP=invite` instances."""

    code = models.CharField(max_length=32, unique=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="invites"
    )
    max_uses = models.PositiveIntegerField(default=1)
    uses = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.code

    @property
    def is_usable(self) -> bool:
        not_expired = self.expires_at is None or self.expires_at > timezone.now()
        return not_expired and self.uses < self.max_uses
