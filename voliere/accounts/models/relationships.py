"""Follows, blocks and mutes between accounts."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Follow(models.Model):
    follower = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="following_set"
    )
    followee = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="follower_set"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique"),
        ]
        # (followee, follower) serves fan-out and "followers of X"; the unique
        # constraint's index serves "who does X follow" and the visibility check.
        indexes = [models.Index(fields=["followee", "follower"], name="follow_followee_idx")]


class Block(models.Model):
    """`blocker` never sees `blocked`'s posts and `blocked` can no longer see or reach `blocker`."""

    blocker = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="blocking_set"
    )
    blocked = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="blocked_by_set"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"], name="block_blocked_idx")]


class Mute(models.Model):
    """`muted`'s posts vanish from `muter`'s timelines and notifications; nothing else changes."""

    muter = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="muting_set"
    )
    muted = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["muter", "muted"], name="mute_unique")]
