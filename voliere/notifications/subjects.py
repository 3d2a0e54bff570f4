"""Registry of what a notification can be about, besides a post.

An app whose objects can be the subject of a notification (a community, an article, a
forum thread, an alert...) registers a `SubjectType` in its `AppConfig.ready`:

- `visible_ids(viewer)`: a queryset of the ids of such objects the viewer may see now. It is
  used inside SQL by `visible_notifications`, so a notification about something the viewer
  lost access to (left a secret community, article unpublished) disappears everywhere:
  list, unread badge, APIs.
- `describe(ids)`: `{id: Subject(title, url)}` for display; only called with ids that passed
  `visible_ids`.

`posts` stays the special case it was (the `post` foreign key) because every timeline query
already joins it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from voliere.accounts.models import Account
    from voliere.notifications.models import Notification


@dataclass(frozen=True)
class Subject:
    title: str
    url: str


@dataclass(frozen=True)
class SubjectType:
    name: str
    visible_ids: Callable[[Account], QuerySet]
    describe: Callable[[list[int]], dict[int, Subject]]


_registry: dict[str, SubjectType] = {}


def register(subject_type: SubjectType) -> None:
    _registry[subject_type.name] = subject_type


def visible_subjects_q(viewer: Account) -> Q:
    """Notifications with no subject, or with a subject the viewer may still see.

    A subject type nobody registered (its app removed) is hidden rather than shown blind.
    """
    condition = Q(subject_type="")
    for name, kind in _registry.items():
        condition |= Q(subject_type=name, subject_id__in=kind.visible_ids(viewer))
    return condition


def attach_subjects(notifications: Iterable[Notification]) -> None:
    """Set `n.subject` (a `Subject` or None) on each notification, one query per type."""
    items = list(notifications)
    by_type: dict[str, list[int]] = {}
    for n in items:
        n.subject = None
        if n.subject_type and n.subject_id is not None:
            by_type.setdefault(n.subject_type, []).append(n.subject_id)
    described = {
        name: _registry[name].describe(ids) for name, ids in by_type.items() if name in _registry
    }
    for n in items:
        if n.subject_type:
            n.subject = described.get(n.subject_type, {}).get(n.subject_id)
