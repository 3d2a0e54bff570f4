"""Revisions and validation: the text of every revision, who validated or rejected which
revision and when, and who holds the validator role where."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_ONE_SUBJECT = Q(article__isnull=False, thread__isnull=True) | Q(
    article__isnull=True, thread__isnull=False
)


class Revision(models.Model):
    """The full text of revision `number` of an article or a thread (exactly one is set).

    Revision 1 is written at creation, so the history and diffs never need the live row.
    """

    article = models.ForeignKey(
        "knowledge.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    thread = models.ForeignKey(
        "knowledge.Thread",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    tags = models.JSONField(default=list)
    editor = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_ONE_SUBJECT, name="revision_one_subject"),
            models.UniqueConstraint(
                fields=["article", "number"], name="revision_article_number_unique"
            ),
            models.UniqueConstraint(
                fields=["thread", "number"], name="revision_thread_number_unique"
            ),
        ]


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for validation")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")
    RESUBMITTED = "resubmitted", _("New revision sent back to review")
    WITHDRAWN = "withdrawn", _("Withdrawn to the free space")


class ValidationEvent(models.Model):
    """One step of an item's validation history: `actor` did `action` on `revision`."""

    article = models.ForeignKey(
        "knowledge.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="validation_events",
    )
    thread = models.ForeignKey(
        "knowledge.Thread",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="validation_events",
    )
    revision = models.PositiveIntegerField()
    action = models.CharField(max_length=12, choices=ReviewAction.choices)
    actor = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    comment = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=_ONE_SUBJECT, name="validation_event_one_subject")
        ]


class ValidatorRole(models.Model):
    """`account` may validate items of `community`, or of the whole instance's validated
    space when `community` is None (granted by administrators). Community moderators and
    owners are validators of their community without a row here."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="validator_roles"
    )
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    granted_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "community"],
                name="validator_role_unique",
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(community__isnull=True),
                name="validator_role_instance_unique",
            ),
        ]
