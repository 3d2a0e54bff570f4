"""The public identity that posts, follows and is followed.

A person, an organisation (official account) or an affiliated account.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    AFFILIATED = "affiliated", _("Affiliated account")


class AccountQuerySet(models.QuerySet["Account"]):
    def active(self) -> AccountQuerySet:
        return self.filter(is_suspended=False)

    def by_handle(self, handle: str) -> AccountQuerySet:
        return self.filter(handle_lower=handle.lower())


class Account(models.Model):
    """One public identity. Counts are denormalized and kept by the actions that change them."""

    kind = models.CharField(max_length=16, choices=AccountKind.choices, default=AccountKind.PERSON)
    handle = models.CharField(_("handle"), max_length=30)
    # Lower-cased copy of the handle: uniqueness and look-ups are case-insensitive.
    handle_lower = models.CharField(max_length=30, unique=True, editable=False)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    bio = models.TextField(_("bio"), max_length=1000, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("Comma-separated, e.g. fr, en")
    )
    links = models.JSONField(_("links"), default=list, blank=True)
    avatar = models.FileField(upload_to="avatars/", blank=True)
    header = models.FileField(upload_to="headers/", blank=True)
    # For an affiliated account: its parent organisation. For a person: their employer.
    organisation = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    employment_verified = models.BooleanField(default=False)
    is_suspended = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    posts_count = models.PositiveIntegerField(default=0)
    followers_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)

    objects = AccountQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "kind"]),
            # "Most followed" lists (suggestions, directory) walk this index.
            models.Index(fields=["-followers_count", "id"], name="account_popular_idx"),
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"

    def get_absolute_url(self) -> str:
        return reverse("profile", args=[self.handle])

    @property
    def name(self) -> str:
        return self.display_name or self.handle

    @property
    def is_organisation(self) -> bool:
        return self.kind == AccountKind.ORGANISATION

    @property
    def is_affiliated(self) -> bool:
        return self.kind == AccountKind.AFFILIATED

    @property
    def initials(self) -> str:
        words = [w for w in self.name.split() if w[:1].isalnum()]
        return "".join(w[0] for w in words[:2]).upper() or self.handle[:1].upper()

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]
