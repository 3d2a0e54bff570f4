from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from voliere.core.ids import new_id


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Mention")
    REPLY = "reply", _("Reply")
    REPOST = "repost", _("Repost")
    QUOTE = "quote", _("Quote")
    LIKE = "like", _("Like")
    FOLLOW = "follow", _("Follow")


class Notification(models.Model):
    """`actor` did `kind` (to `post`) and `recipient` is told.

    `dedup_key` makes creation idempotent: a notification task run twice, or the same
    like undone and redone, never notifies twice.
    """

    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    recipient = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    dedup_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_recipient_idx"),
        ]
