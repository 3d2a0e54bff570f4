"""Where collected posts come from: one configured connector and its resumable cursor."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    INTERNAL = "internal", _("This network")
    RSS = "rss", _("RSS / Atom feed")
    MASTODON = "mastodon", _("Mastodon-compatible instance")
    BLUESKY = "bluesky", _("Bluesky")
    X = "x", _("X (Twitter)")
    IMPORT = "import", _("Imported file")


class SourceState(models.TextChoices):
    ACTIVE = "active", _("Active")
    BACKING_OFF = "backing_off", _("Retrying after an error")
    PAUSED = "paused", _("Paused")
    FAILED = "failed", _("Failed")


class Source(models.Model):
    """`config` holds the connector's settings (feed URL, instance, timeline, hashtag,
    search query…); `credentials` its secrets (never shown back in full); `cursor` the
    connector's resume point (since_id, ETag, last modified, next page token…), written in
    the same transaction as the mentions it covers, so a restart neither loses nor
    duplicates posts."""

    organisation = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="listening_sources"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices)
    name = models.CharField(_("name"), max_length=80)
    config = models.JSONField(default=dict, blank=True)
    credentials = models.JSONField(default=dict, blank=True)
    cursor = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=16, choices=SourceState.choices,
                             default=SourceState.ACTIVE)
    poll_interval = models.PositiveIntegerField(_("poll every (seconds)"), default=300)
    next_poll_at = models.DateTimeField(default=timezone.now)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation_id", "name"]
        indexes = [models.Index(fields=["state", "next_poll_at"])]

    def __str__(self) -> str:
        return self.name
