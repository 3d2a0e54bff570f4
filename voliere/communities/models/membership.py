"""Who belongs to a community, with which role; pending requests and invitations; bans.

Each table has a unique (community, account) constraint: two concurrent joins, requests,
invitations or bans of the same person make one row, never two.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    MODERATOR = "moderator", _("Moderator")
    MEMBER = "member", _("Member")

    @classmethod
    def rank(cls, role: str | None) -> int:
        """4 for owner down to 1 for member, 0 for no role: compare powers with `>`."""
        return _RANKS.get(role or "", 0)


_RANKS = {Role.OWNER: 4, Role.ADMIN: 3, Role.MODERATOR: 2, Role.MEMBER: 1}


class Membership(models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="memberships"
    )
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="community_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "account"], name="membership_unique")
        ]
        indexes = [
            models.Index(fields=["account", "community"], name="membership_account_idx"),
            # The members page lists staff first, then everyone by join date.
            models.Index(fields=["community", "role", "-id"], name="membership_role_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} in {self.community_id} ({self.role})"

    @property
    def is_staff(self) -> bool:
        return Role.rank(self.role) >= Role.rank(Role.MODERATOR)


class JoinRequest(models.Model):
    """A pending request to join a moderated community; approving or rejecting deletes it."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="join_requests"
    )
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "account"], name="join_request_unique")
        ]
        indexes = [models.Index(fields=["account"], name="join_request_account_idx")]


class Invitation(models.Model):
    """A pending invitation; accepting makes a membership (even in a moderated or secret
    community), declining deletes it. An invitee may see the community they are invited to."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="invitations"
    )
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        "accounts.Account", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "account"], name="invitation_unique")
        ]
        indexes = [models.Index(fields=["account"], name="invitation_account_idx")]


class Ban(models.Model):
    """A banned account cannot join, request to join, be invited, or post in the community."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="bans"
    )
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    banned_by = models.ForeignKey(
        "accounts.Account", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "account"], name="ban_unique")]
