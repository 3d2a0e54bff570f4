"""A poll is part of a post: as visible as its post, created with it, gone with it.

Counts are denormalized (`votes_count`, `voters_count` on the poll, `votes_count` on each
option) and kept by `voliere.polls.actions.vote`, inside the transaction that writes the
votes, so reading a page of polls never counts rows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from voliere.core.ids import new_id


class Poll(models.Model):
    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    post = models.OneToOneField("posts.Post", on_delete=models.CASCADE, related_name="poll")
    # None: the poll never closes (Mastodon allows it for polls made elsewhere; ours close).
    expires_at = models.DateTimeField(null=True, blank=True)
    multiple = models.BooleanField(default=False)
    # Totals stay hidden from everyone but the author until the poll closes.
    hide_totals = models.BooleanField(default=False)
    votes_count = models.PositiveIntegerField(default=0)
    voters_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"poll {self.id} on {self.post_id}"

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=100)
    votes_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="poll_option_position")
        ]

    def __str__(self) -> str:
        return self.title


class PollVote(models.Model):
    """One choice of one voter; a multiple-choice vote is several rows, written together."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "account"], name="poll_vote_unique")
        ]
        indexes = [models.Index(fields=["account", "poll"], name="poll_vote_account_idx")]
