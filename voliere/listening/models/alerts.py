"""Alerts on topics, the channels that carry them, and each delivery's lifecycle."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    BURST = "burst", _("Volume burst")
    NEGATIVE = "negative", _("Negative sentiment spike")
    HIGH_REACH = "high_reach", _("High-reach author")
    NEW_HASHTAG = "new_hashtag", _("New competitor hashtag")


class Alert(models.Model):
    """One alert episode. `episode_key` identifies the episode (e.g. the burst's first
    hour, the author and day, the hashtag): the unique constraint makes an episode fire
    exactly once however often detection runs."""

    topic = models.ForeignKey("listening.Topic", on_delete=models.CASCADE,
                              related_name="alerts")
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    episode_key = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "kind", "episode_key"],
                                    name="alert_episode_unique")
        ]


class AlertChannel(models.Model):
    """Where an organisation's alerts go besides the in-app notification of its managers:
    an e-mail address or a webhook URL (JSON body signed with HMAC-SHA256 of `secret`)."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Webhook")

    organisation = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="alert_channels"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    target = models.CharField(max_length=500)
    secret = models.CharField(max_length=128, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)


class AlertDelivery(models.Model):
    """One alert to one channel: pending → sent, or pending → retrying → … → failed."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Retrying")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(AlertChannel, on_delete=models.CASCADE,
                                related_name="deliveries")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "channel"], name="alert_delivery_unique")
        ]
