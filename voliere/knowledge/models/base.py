"""What articles and forum threads share: where they live, who may read them, their tags,
their revision counter and their place in the free or validated space.

Spaces. Every item lives in the free space. An item submitted to the validated space moves
through `ReviewState`: free → submitted → validated or rejected. `validated_revision` keeps
the number of the last revision a validator approved, even after the item moves on.

Decision (new revision of a validated item): the item goes back to `submitted` and its
badge disappears until a validator approves the new revision. Readers must be able to trust
that the text under a "validated" badge is the text that was validated; the page still says
which earlier revision was validated and links to it, and the history keeps every decision.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 200
BODY_MAX = 100_000
EXCERPT_MAX = 280


class KnowledgeVisibility(models.TextChoices):
    """Who may read an item (on top of its community's own rule, see `access`)."""

    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal (members only)")


class ReviewState(models.TextChoices):
    FREE = "free", _("Free space")
    SUBMITTED = "submitted", _("Submitted for validation")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")


class Tag(models.Model):
    """A knowledge tag, case-folded (`voliere.knowledge.tags.normalize`)."""

    name = models.CharField(max_length=50, unique=True)

    def __str__(self) -> str:
        return self.name


class KnowledgeItem(models.Model):
    """Abstract base of `Article` and `Thread`.

    - `body` is the Markdown people wrote; `body_html` is its sanitised rendering, written
      by the actions (`voliere.knowledge.markdown.render`) and safe to output as is.
    - `community` is None for items outside communities (blogs, instance-wide forum).
    - `revision` is the number of the current text (1 at creation); every edit stores a
      `Revision` row and increments it.
    """

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    body_html = models.TextField(blank=True)
    excerpt = models.CharField(max_length=EXCERPT_MAX, blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=KnowledgeVisibility.choices,
        default=KnowledgeVisibility.INTERNAL,
    )
    community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    revision = models.PositiveIntegerField(default=1)
    review_state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.FREE
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_revision = models.PositiveIntegerField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def is_validated(self) -> bool:
        """True when the CURRENT revision is validated (the badge)."""
        return self.review_state == ReviewState.VALIDATED

    @property
    def has_earlier_validation(self) -> bool:
        """An earlier revision was validated, the current one is not (yet)."""
        return not self.is_validated and self.validated_revision is not None
