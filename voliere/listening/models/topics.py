"""A watch topic: one organisation's boolean query over collected posts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TopicKind(models.TextChoices):
    BRAND = "brand", _("Brand")
    PRODUCT = "product", _("Product")
    PERSON = "person", _("Person")
    CAMPAIGN = "campaign", _("Campaign")
    COMPETITOR = "competitor", _("Competitor")
    OTHER = "other", _("Other")


class BackfillState(models.TextChoices):
    IDLE = "idle", _("Up to date")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FAILED = "failed", _("Failed")


class Topic(models.Model):
    """`query` is in the listening query language (`voliere.listening.query`).

    Competitor topics are the other side of share of voice; every other kind is "us".
    `query_version` grows at each edit so a backfill started for an older query stops.
    """

    organisation = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="listening_topics"
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16, choices=TopicKind.choices,
                            default=TopicKind.BRAND)
    query = models.TextField(_("query"), max_length=2000)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    query_version = models.PositiveIntegerField(default=1)
    backfill_state = models.CharField(max_length=16, choices=BackfillState.choices,
                                      default=BackfillState.IDLE)
    backfill_total = models.PositiveIntegerField(default=0)
    backfill_done = models.PositiveIntegerField(default=0)
    backfill_error = models.TextField(blank=True)

    class Meta:
        ordering = ["organisation_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="topic_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_competitor(self) -> bool:
        return self.kind == TopicKind.COMPETITOR
