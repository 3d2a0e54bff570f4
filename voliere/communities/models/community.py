"""A community of interest: a named group with its own timeline, members and rules."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAME_MAX = 80
SLUG_MAX = 50
DESCRIPTION_MAX = 2000
RULES_MAX = 5000


class Kind(models.TextChoices):
    """How people get in. A secret community is chosen at creation and stays secret: making
    it open later would reveal the posts it was trusted with."""

    OPEN = "open", _("Open: anyone can join")
    MODERATED = "moderated", _("Moderated: joining needs approval")
    SECRET = "secret", _("Secret: by invitation only, invisible to others")


class Community(models.Model):
    """Counts (`members_count`, `posts_count`) and `last_post_at` are denormalized and kept
    by the actions that change them; the directory sorts on them through indexes."""

    slug = models.SlugField(_("address"), max_length=SLUG_MAX, unique=True)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    rules = models.TextField(_("rules"), max_length=RULES_MAX, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OPEN)
    # The organisation the community belongs to (a department's, or a customer panel run by
    # the company's official account); optional.
    organisation = models.ForeignKey(
        "accounts.Account",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communities_run",
    )
    created_by = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    members_count = models.PositiveIntegerField(default=0)
    posts_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        indexes = [
            models.Index(fields=["kind", "-members_count"], name="community_kind_members_idx"),
            models.Index(fields=["kind", "-last_post_at"], name="community_kind_activity_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community", args=[self.slug])

    @property
    def is_secret(self) -> bool:
        return self.kind == Kind.SECRET

    @property
    def is_moderated(self) -> bool:
        return self.kind == Kind.MODERATED

    @property
    def is_open(self) -> bool:
        return self.kind == Kind.OPEN
