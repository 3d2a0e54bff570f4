"""Attaching media to anything: posts today, articles and forum threads next.

How another app uses it (the knowledge app, for articles and threads):

1. **The form.** Mix `voliere.media.forms.MediaUploadsMixin` into the form (it adds four
   optional slots, `media_1` … `media_4`, each a file with its alt text
   `media_1_description` …), build the form with `request.FILES`, and draw the slots with
   `{% include "media/_upload_fields.html" with form=form %}` inside a
   `<form method="post" enctype="multipart/form-data">`. Works without JavaScript.
2. **The view.** Call `form.prepared_media(request)`: it validates and processes every
   file sent (sniffing, size limits, image re-encoding) and raises `InvalidInput` naming
   the slot at fault; nothing is stored yet. Show the error with the form's usual
   `attach_error`.
3. **The action.** Inside the action's own `transaction.atomic` that creates or edits the
   subject, call `attach_media(author, subject, prepared=prepared)` (new files) and/or
   `attach_media(author, subject, media_ids=ids)` (files uploaded beforehand through the
   Mastodon API, `POST /api/v2/media`). Call it *last* in the action: if it raises, the
   files it wrote are deleted and the action's rows roll back with it, so nothing is
   half-stored. (Files written by a call whose caller then fails anyway, or by a process
   killed before commit, have no row; `clean_unattached_media_task` deletes such files
   after a day.)
4. **Reading.** `media_for(subjects)` sets `subject.media_attachments` (a list, in
   order) on each object, one query for the whole list; draw them with
   `{% include "media/_attachments.html" with attachments=subject.media_attachments %}`.
5. **Permissions.** An attachment is served by `/attachments/<id>/…` only to people who
   may see its subject: the subject's model must have a default manager with a
   `visible_to(viewer)` queryset method (as `Post.objects.visible_to`), or register
   another rule with `voliere.media.access.register_visibility(label, fn)`. Nothing else
   is needed: the attachment is found through `subject_type` = the model's label
   (`knowledge.article`) and `subject_id` = its integer primary key.
6. **Deleting.** When the subject is deleted (or tombstoned), call
   `delete_media_of(subject)` in the same transaction; the files go after commit.

Rules (`check_composition`): at most `MAX_ATTACHMENTS` (4) per subject; images and files
may be mixed; a video is always alone (as on Mastodon: 4 images or 1 video).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from django.db import models, transaction
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput
from voliere.media.actions import store_prepared, upload_media
from voliere.media.models import MediaAttachment, MediaKind
from voliere.media.storage import StoredFiles, delete_files
from voliere.media.validation import PreparedMedia

__all__ = [
    "MAX_ATTACHMENTS",
    "attach_media",
    "check_composition",
    "delete_media_of",
    "media_for",
    "subject_label",
    "upload_media",
]

MAX_ATTACHMENTS = 4


class Subject(Protocol):
    pk: int
    _meta: models.options.Options


def subject_label(subject: Subject | type[models.Model]) -> str:
    """`app_label.model_name` of a model or instance (`posts.post`)."""
    return subject._meta.label_lower


def check_composition(kinds: Sequence[str], *, field: str = "media_ids") -> None:
    """At most four attachments; a video only on its own."""
    if len(kinds) > MAX_ATTACHMENTS:
        raise InvalidInput(
            _("At most %(count)s attachments per post.") % {"count": MAX_ATTACHMENTS}, field=field
        )
    if MediaKind.VIDEO in kinds and len(kinds) > 1:
        raise InvalidInput(_("A video cannot be combined with other attachments."), field=field)


def _parse_ids(media_ids: Iterable[object], field: str) -> list[int]:
    ids: list[int] = []
    for raw in media_ids:
        text = str(raw).strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 19:
            raise InvalidInput(_("“%(id)s” is not a media id.") % {"id": text[:30]}, field=field)
        if int(text) not in ids:
            ids.append(int(text))
    return ids


@transaction.atomic
def attach_media(
    owner: Account,
    subject: Subject,
    *,
    media_ids: Iterable[object] = (),
    prepared: Sequence[PreparedMedia] = (),
    field: str = "media_ids",
) -> list[MediaAttachment]:
    """Attach `owner`'s own unattached uploads (`media_ids`, in that order) and store the
    new `prepared` files, all attached to `subject`, after what it already has.

    An id that is not an unattached upload of `owner` (someone else's, already attached,
    unknown) is refused with InvalidInput naming it, like a breach of `check_composition`.
    Call it inside the transaction that writes `subject`; rows are locked while claimed so
    one upload cannot end up on two subjects.
    """
    ids = _parse_ids(media_ids, field)
    label = subject_label(subject)
    claimed = {
        m.id: m
        for m in MediaAttachment.objects.select_for_update().filter(
            id__in=ids, owner=owner, subject_id__isnull=True
        )
    }
    missing = [i for i in ids if i not in claimed]
    if missing:
        raise InvalidInput(
            _("Media %(id)s does not exist, is not yours or is already attached.")
            % {"id": missing[0]},
            field=field,
        )
    existing = list(
        MediaAttachment.objects.filter(subject_type=label, subject_id=subject.pk).values_list(
            "kind", flat=True
        )
    )
    kinds = existing + [claimed[i].kind for i in ids] + [p.kind for p in prepared]
    check_composition(kinds, field=field)
    attached: list[MediaAttachment] = []
    position = len(existing)
    for media_id in ids:
        media = claimed[media_id]
        media.subject_type, media.subject_id, media.position = label, subject.pk, position
        media.save(update_fields=["subject_type", "subject_id", "position"])
        attached.append(media)
        position += 1
    with StoredFiles() as files:
        for item in prepared:
            attached.append(
                store_prepared(
                    owner, item, files, subject_type=label, subject_id=subject.pk, position=position
                )
            )
            position += 1
    return attached


def media_for(subjects: Iterable[Subject]) -> None:
    """Set `media_attachments` (ordered list) on each subject: one query per model."""
    by_label: dict[str, dict[int, list[Subject]]] = {}
    for subject in subjects:
        subject.media_attachments = []
        by_label.setdefault(subject_label(subject), {}).setdefault(subject.pk, []).append(subject)
    for label, objects in by_label.items():
        rows = MediaAttachment.objects.filter(
            subject_type=label, subject_id__in=list(objects)
        ).order_by("subject_id", "position", "id")
        for media in rows:
            for subject in objects[media.subject_id]:
                subject.media_attachments.append(media)


def delete_media_of(subject: Subject) -> int:
    """Delete the subject's attachments; their files are deleted after commit."""
    rows = MediaAttachment.objects.filter(
        subject_type=subject_label(subject), subject_id=subject.pk
    )
    names = [n for pair in rows.values_list("file_name", "thumbnail_name") for n in pair if n]
    count, _detail = rows.delete()
    if names:
        transaction.on_commit(lambda: delete_files(names))
    return count
