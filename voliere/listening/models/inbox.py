"""The response inbox: negative mentions and questions waiting for an official answer."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InboxReason(models.TextChoices):
    NEGATIVE = "negative", _("Negative mention")
    QUESTION = "question", _("Question")


class InboxState(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("inbox item state", "Closed")


class InboxItem(models.Model):
    """One mention in one organisation's inbox (at most once, whichever topics matched).
    Time to first response is `first_response_at - created_at`."""

    organisation = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="inbox_items"
    )
    mention = models.ForeignKey("listening.Mention", on_delete=models.CASCADE,
                                related_name="inbox_items")
    reason = models.CharField(max_length=16, choices=InboxReason.choices)
    state = models.CharField(max_length=16, choices=InboxState.choices,
                             default=InboxState.NEW)
    assignee = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="inbox_assignments",
    )
    reply_post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_external_id = models.CharField(max_length=255, blank=True)
    # What was answered and by whom (the first response): shown on the item, and the only
    # trace of an external reply besides its id on the other network.
    reply_text = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set while a reply goes out through an external connector (the HTTP call runs outside
    # any transaction): a second reply meanwhile is refused. A stale claim (a crash
    # mid-call) expires after `inbox.actions.REPLY_CLAIM_TIMEOUT`.
    reply_claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "mention"], name="inbox_item_unique")
        ]
        indexes = [models.Index(fields=["organisation", "state", "created_at"])]
