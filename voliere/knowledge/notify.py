"""Who is told what about knowledge items (run by `tasks`, after commit).

Every recipient is checked against `access` first: nobody is told about an item they may not
see (a secret community they left, a draft). `notify` itself skips oneself, blocks and mutes,
and is idempotent (its dedup key), so a retried task never notifies twice.
"""

from __future__ import annotations

from voliere.accounts.models import Account
from voliere.knowledge.access import validators_of, visible_articles, visible_threads
from voliere.knowledge.models import Answer, Article, ArticleAuthor, Comment, Thread
from voliere.notifications.actions import notify
from voliere.notifications.models import NotificationKind


def _may_see(recipient_id: int, kind: str, item_id: int) -> bool:
    recipient = Account.objects.filter(pk=recipient_id).first()
    if recipient is None:
        return False
    visible = visible_articles if kind == "article" else visible_threads
    return visible(recipient).filter(pk=item_id).exists()


def _tell(
    recipient_id: int,
    *,
    actor_id: int,
    kind: str,
    subject: str,
    item_id: int,
    dedup_extra: str = "",
) -> None:
    if recipient_id != actor_id and _may_see(recipient_id, subject, item_id):
        notify(
            recipient_id=recipient_id,
            actor_id=actor_id,
            kind=kind,
            subject_type=subject,
            subject_id=item_id,
            dedup_extra=dedup_extra,
        )


def _author_ids(kind: str, item_id: int) -> list[int]:
    if kind == "article":
        return list(
            ArticleAuthor.objects.filter(article_id=item_id).values_list("account_id", flat=True)
        )
    return list(Thread.objects.filter(pk=item_id).values_list("author_id", flat=True))


def answer_posted(answer_id: int) -> None:
    answer = Answer.objects.filter(pk=answer_id).select_related("thread").first()
    if answer is not None:
        _tell(
            answer.thread.author_id,
            actor_id=answer.author_id,
            kind=NotificationKind.ANSWER,
            subject="thread",
            item_id=answer.thread_id,
        )


def answer_accepted(answer_id: int, actor_id: int) -> None:
    answer = Answer.objects.filter(pk=answer_id).first()
    if answer is not None:
        _tell(
            answer.author_id,
            actor_id=actor_id,
            kind=NotificationKind.ANSWER_ACCEPTED,
            subject="thread",
            item_id=answer.thread_id,
        )


def comment_posted(comment_id: int) -> None:
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        return
    for author_id in _author_ids("article", comment.article_id):
        _tell(
            author_id,
            actor_id=comment.author_id,
            kind=NotificationKind.COMMENT,
            subject="article",
            item_id=comment.article_id,
        )


def _item(kind: str, item_id: int) -> Article | Thread | None:
    model = Article if kind == "article" else Thread
    return model.objects.filter(pk=item_id).first()


def validation_requested(kind: str, item_id: int, actor_id: int) -> None:
    item = _item(kind, item_id)
    if item is None:
        return
    authors = set(_author_ids(kind, item_id))
    for validator_id in validators_of(item).values_list("pk", flat=True):
        if validator_id not in authors:
            _tell(
                validator_id,
                actor_id=actor_id,
                kind=NotificationKind.VALIDATION_REQUEST,
                subject=kind,
                item_id=item_id,
                # Each submitted revision asks again.
                dedup_extra=f"r{item.revision}",
            )


def validation_decided(kind: str, item_id: int, actor_id: int) -> None:
    item = _item(kind, item_id)
    if item is None:
        return
    for author_id in _author_ids(kind, item_id):
        _tell(
            author_id,
            actor_id=actor_id,
            kind=NotificationKind.VALIDATION_RESULT,
            subject=kind,
            item_id=item_id,
            # Each decision on each revision is news to the authors.
            dedup_extra=f"r{item.revision}:{item.review_state}",
        )
