"""The "article" and "thread" notification subjects (registered in `apps.ready`): a
notification about an item the viewer may no longer see disappears (see
`voliere.notifications.subjects`)."""

from __future__ import annotations

from django.db.models import QuerySet

from voliere.accounts.models import Account
from voliere.knowledge.access import visible_articles, visible_threads
from voliere.knowledge.models import Article, Thread
from voliere.notifications.subjects import Subject, SubjectType, register


def _article_ids(viewer: Account) -> QuerySet:
    return visible_articles(viewer).values("pk")


def _thread_ids(viewer: Account) -> QuerySet:
    return visible_threads(viewer).values("pk")


def _describe(model: type[Article] | type[Thread], ids: list[int]) -> dict[int, Subject]:
    return {
        item.pk: Subject(title=item.title, url=item.get_absolute_url())
        for item in model.objects.filter(pk__in=ids).only("pk", "title")
    }


def register_subjects() -> None:
    register(
        SubjectType(
            name="article",
            visible_ids=_article_ids,
            describe=lambda ids: _describe(Article, ids),
        )
    )
    register(
        SubjectType(
            name="thread",
            visible_ids=_thread_ids,
            describe=lambda ids: _describe(Thread, ids),
        )
    )
