"""Lists of followed accounts (Mastodon's lists) and reading-position markers.

A `List` belongs to an account (the account a token or session acts as) and holds
accounts that owner follows; its timeline shows their posts, re-checked through
`visible_to` on every read. A `Marker` remembers where the owner stopped reading a
timeline ("home" or "notifications") so several clients agree; its `version` grows with
each save, for clients that detect concurrent updates.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from voliere.core.ids import new_id


class RepliesPolicy(models.TextChoices):
    """Which replies a list timeline shows (a member's replies to themselves always show)."""

    FOLLOWED = "followed", _("Replies to any followed account")
    LIST = "list", _("Replies to members of the list")
    NONE = "none", _("No replies to others")


class List(models.Model):
    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    owner = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    replies_policy = models.CharField(
        max_length=10, choices=RepliesPolicy.choices, default=RepliesPolicy.LIST
    )
    # Exclusive: members' posts are left out of the owner's home timeline (read in the API).
    exclusive = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["owner", "id"], name="list_owner_idx")]

    def __str__(self) -> str:
        return self.title


class ListMember(models.Model):
    # Time-ordered id: the members page paginates on when someone was added.
    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    list = models.ForeignKey(List, on_delete=models.CASCADE, related_name="members")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list", "account"], name="list_member_unique")
        ]
        indexes = [models.Index(fields=["account", "list"], name="list_member_account_idx")]


class MarkerTimeline(models.TextChoices):
    HOME = "home", _("Home")
    NOTIFICATIONS = "notifications", _("Notifications")


class Marker(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    timeline = models.CharField(max_length=16, choices=MarkerTimeline.choices)
    last_read_id = models.BigIntegerField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "timeline"], name="marker_unique")
        ]


class ConversationState(models.Model):
    """What the owner did to one conversation of direct posts (`conversation_id` of the
    posts): read up to a post, or removed it from their list up to a post. A newer post
    in the same conversation brings it back, unread, as on Mastodon."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    conversation_id = models.BigIntegerField()
    read_up_to = models.BigIntegerField(default=0)
    hidden_up_to = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "conversation_id"], name="conversation_state_unique"
            )
        ]
