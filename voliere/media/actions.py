"""Every change to media on its own: uploading, describing, and the clean-up of uploads
never attached. Attaching to a subject lives in `voliere.media.attach`."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from voliere.accounts.models import Account
from voliere.media.models import MediaAttachment
from voliere.media.storage import StoredFiles, delete_files, sweep_orphan_files
from voliere.media.validation import PreparedMedia, clean_description, clean_focus, prepare_media

logger = logging.getLogger(__name__)
UNATTACHED_LIFETIME = timedelta(days=1)


def store_prepared(
    owner: Account, prepared: PreparedMedia, files: StoredFiles, **subject: object
) -> MediaAttachment:
    image = prepared.image
    file_name = files.save(prepared.content, prepared.extension)
    thumbnail_name = files.save(image.thumbnail, image.thumbnail_extension) if image else ""
    return MediaAttachment.objects.create(
        owner=owner,
        kind=prepared.kind,
        content_type=prepared.content_type,
        file_name=file_name,
        thumbnail_name=thumbnail_name,
        original_name=prepared.original_name,
        size=prepared.size,
        width=image.width if image else None,
        height=image.height if image else None,
        thumbnail_width=image.thumbnail_width if image else None,
        thumbnail_height=image.thumbnail_height if image else None,
        description=prepared.description,
        focus_x=prepared.focus[0],
        focus_y=prepared.focus[1],
        **subject,
    )


def upload_media(
    owner: Account,
    upload: object,
    *,
    description: str = "",
    focus: str | None = None,
    field: str = "file",
) -> MediaAttachment:
    """Validate, process and store one upload, not attached to anything yet (the Mastodon
    flow: upload first, then publish with `media_ids`). Raises InvalidInput(field)."""
    prepared = prepare_media(upload, description=description, focus=focus, field=field)
    with transaction.atomic(), StoredFiles() as files:
        media = store_prepared(owner, prepared, files)
        transaction.on_commit(schedule_clean_up)
        return media


CLEAN_UP_KEY = "media:clean-up-enqueued"


def schedule_clean_up() -> None:
    """Enqueue the clean-up of stale uploads at most once an hour across all processes
    (the shared cache remembers), so no scheduler is needed: uploads drive it."""
    from voliere.media.tasks import clean_unattached_media_task

    if cache.add(CLEAN_UP_KEY, True, timeout=3600):
        clean_unattached_media_task.enqueue()


def update_media(
    owner: Account,
    media: MediaAttachment,
    *,
    description: str | None = None,
    focus: str | None = None,
) -> MediaAttachment:
    """Change the alt text and/or focal point (None leaves a value as it is)."""
    fields = []
    if description is not None:
        media.description = clean_description(description)
        fields.append("description")
    if focus is not None:
        media.focus_x, media.focus_y = clean_focus(focus)
        fields += ["focus_x", "focus_y"]
    if fields:
        media.save(update_fields=fields)
    return media


def clean_unattached_media(*, older_than: timedelta = UNATTACHED_LIFETIME) -> int:
    """Delete uploads never attached within `older_than` (rows, then their files after
    commit), and stored files that no row names (left by a crash or a rolled-back
    caller). Returns the number of rows deleted. Safe to run twice or concurrently."""
    limit = timezone.now() - older_than
    with transaction.atomic():
        stale = MediaAttachment.objects.filter(subject_id__isnull=True, created_at__lt=limit)
        names = [n for pair in stale.values_list("file_name", "thumbnail_name") for n in pair]
        count, _detail = stale.delete()
        transaction.on_commit(lambda: delete_files(names))

    def known(batch: list[str]) -> set[str]:
        used = set(
            MediaAttachment.objects.filter(file_name__in=batch).values_list("file_name", flat=True)
        )
        used |= set(
            MediaAttachment.objects.filter(thumbnail_name__in=batch).values_list(
                "thumbnail_name", flat=True
            )
        )
        return used

    orphans = sweep_orphan_files(known, older_than=older_than)
    if count or orphans:
        logger.info("deleted %s unattached uploads and %s orphan files", count, len(orphans))
    return count
