"""Which post events reach listening (connected in ListeningConfig.ready).

Handlers run after the post's transaction commits and only enqueue a task, and only when
there is something to do: no active topic anywhere means nothing to collect, and a post
without a mention has nothing to forget. Whether the post may be collected at all
(public, open or no community…) is decided by the task, in `internal.listenable_posts`.
"""

from __future__ import annotations

from typing import Any

from voliere.core.events import subscribe
from voliere.listening.models import Mention, Topic


def _published(post_id: int, **_: Any) -> None:
    if Topic.objects.filter(is_active=True).exists():
        from voliere.listening.tasks import collect_post_task

        collect_post_task.enqueue(post_id)


def _edited(post_id: int, **_: Any) -> None:
    if Mention.objects.filter(post_id=post_id).exists() or Topic.objects.filter(
            is_active=True).exists():
        from voliere.listening.tasks import recollect_post_task

        recollect_post_task.enqueue(post_id)


def _deleted(post_id: int, **_: Any) -> None:
    if Mention.objects.filter(post_id=post_id).exists():
        from voliere.listening.tasks import forget_post_task

        forget_post_task.enqueue(post_id)


def _audience_shrank(**_: Any) -> None:
    """An author suspended, a community no longer open: some collected posts may not be
    public any more."""
    if Mention.objects.filter(post__isnull=False).exists():
        from voliere.listening.tasks import forget_unlistenable_task

        forget_unlistenable_task.enqueue()


def connect() -> None:
    subscribe("post.published", _published)
    subscribe("post.edited", _edited)
    subscribe("post.deleted", _deleted)
    subscribe("account.suspended", _audience_shrank)
    subscribe("community.kind_changed", _audience_shrank)
