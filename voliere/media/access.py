"""Who may fetch an attachment: exactly the people who may see what it is attached to.

An unattached upload belongs to its owner alone. An attached one is looked up through its
subject: the subject model's default manager must offer `visible_to(viewer)` (the one
place its visibility is decided, such as `Post.objects.visible_to`), unless the app
registered another rule with `register_visibility`. A subject type nobody can answer for
(its app removed) is hidden. Missing and forbidden give the same NotFound.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from voliere.core.exceptions import NotFound
from voliere.media.models import MediaAttachment

if TYPE_CHECKING:
    from voliere.accounts.models import Account

# label -> function(viewer) returning a queryset of the subjects the viewer may see.
_rules: dict[str, Callable[[Account | None], QuerySet]] = {}


def register_visibility(label: str, visible: Callable[[Account | None], QuerySet]) -> None:
    """Use `visible(viewer)` instead of `<Model>.objects.visible_to(viewer)` for `label`."""
    _rules[label] = visible


def visible_subjects(label: str, viewer: Account | None) -> QuerySet | None:
    """The subjects of type `label` that `viewer` may see, or None if nobody can say."""
    if label in _rules:
        return _rules[label](viewer)
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    visible_to = getattr(model._default_manager, "visible_to", None)
    return visible_to(viewer) if visible_to is not None else None


def can_see_media(viewer: Account | None, media: MediaAttachment) -> bool:
    if not media.is_attached:
        return viewer is not None and media.owner_id == viewer.id
    subjects = visible_subjects(media.subject_type, viewer)
    return subjects is not None and subjects.filter(pk=media.subject_id).exists()


def access_media(viewer: Account | None, media_id: object) -> MediaAttachment:
    """The attachment if `viewer` may fetch it, else NotFound."""
    text = str(media_id)
    media = None
    if text.isascii() and text.isdigit() and len(text) < 20:
        media = MediaAttachment.objects.filter(pk=int(text)).first()
    if media is None or not can_see_media(viewer, media):
        raise NotFound(_("No such media."))
    return media


def access_own_media(viewer: Account | None, media_id: object) -> MediaAttachment:
    """An attachment `viewer` uploaded (to read or change its description), else NotFound."""
    media = access_media(viewer, media_id)
    if viewer is None or media.owner_id != viewer.id:
        raise NotFound(_("No such media."))
    return media
