"""One uploaded file (image, video or downloadable file) and what it is attached to."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from voliere.core.ids import new_id


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")
    FILE = "file", _("File")


class MediaAttachment(models.Model):
    """An upload that passed validation, stored under `file_name` in the `attachments`
    storage (`voliere.media.storage`), with a `thumbnail_name` for images.

    Until it is attached, `subject_type`/`subject_id` are empty and only its `owner` can
    see or use it; unattached rows older than a day are deleted by
    `voliere.media.tasks.clean_unattached_media_task`. Once attached, it is exactly as
    visible as its subject (`subject_type` is the subject's model label, such as
    `posts.post`; see `voliere.media.access`). Stored names are random and never derived
    from the client's file name, which is kept only as `original_name` for downloads.
    """

    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    owner = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=MediaKind.choices)
    # The sniffed type, never the client's: what the file is served as.
    content_type = models.CharField(max_length=120)
    file_name = models.CharField(max_length=255)
    thumbnail_name = models.CharField(max_length=255, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    thumbnail_width = models.PositiveIntegerField(null=True, blank=True)
    thumbnail_height = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    # Mastodon's focal point, each in [-1, 1] (0, 0 is the centre).
    focus_x = models.FloatField(default=0.0)
    focus_y = models.FloatField(default=0.0)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "position"], name="media_subject_idx"
            ),
            # The clean-up task's scan: unattached uploads by age.
            models.Index(
                fields=["created_at"],
                name="media_unattached_created_idx",
                condition=Q(subject_id__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"

    def get_absolute_url(self) -> str:
        """The file, served by `voliere.media.views.media_file` to those who may see it."""
        return reverse("media_file", args=[self.id, self.original_name or "file"])

    @property
    def thumbnail_url(self) -> str:
        """The preview of an image; empty for videos and files."""
        return reverse("media_thumbnail", args=[self.id]) if self.thumbnail_name else ""

    @property
    def is_attached(self) -> bool:
        return self.subject_id is not None

    @property
    def is_image(self) -> bool:
        return self.kind == MediaKind.IMAGE

    @property
    def is_video(self) -> bool:
        return self.kind == MediaKind.VIDEO
