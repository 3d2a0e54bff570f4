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
    # Kinds about something other than a post carry `subject_type` and `subject_id`
    # (see `voliere.notifications.subjects`).
    COMMUNITY_INVITE = "community_invite", _("Community invitation")
    COMMUNITY_REQUEST = "community_request", _("Request to join a community")
    COMMUNITY_APPROVED = "community_approved", _("Community membership approved")
    ANSWER = "answer", _("Answer")
    ANSWER_ACCEPTED = "answer_accepted", _("Accepted answer")
    COMMENT = "comment", _("Comment")
    VALIDATION_REQUEST = "validation_request", _("Validation request")
    VALIDATION_RESULT = "validation_result", _("Validation result")
    EXPERT_QUESTION = "expert_question", _("Question for an expert")
    POLL = "poll", _("Poll ended")
    UPDATE = "update", _("Post edited")
    ALERT = "alert", _("Alert")


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
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What a non-post notification is about: a registered subject type ("community",
    # "article", "thread", ...) and the id of that object. Who may still see it is decided
    # by the type's registered rule, in `visible_notifications`.
    subject_type = models.CharField(max_length=32, blank=True, default="", db_default="")
    subject_id = models.BigIntegerField(null=True, blank=True)
    dedup_key = models.CharField(max_length=160, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_recipient_idx"),
        ]
