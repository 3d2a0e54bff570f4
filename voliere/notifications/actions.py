"""Creating and reading notifications."""

from __future__ import annotations

from django.utils import timezone

from voliere.accounts.models import Account, Block, Mute
from voliere.core.events import emit
from voliere.notifications.models import Notification, NotificationKind
from voliere.posts.models import Post


def _silenced(recipient_id: int, actor_id: int) -> bool:
    return (
        Block.objects.filter(blocker_id=recipient_id, blocked_id=actor_id).exists()
        or Block.objects.filter(blocker_id=actor_id, blocked_id=recipient_id).exists()
        or Mute.objects.filter(muter_id=recipient_id, muted_id=actor_id).exists()
    )


def dedup_key(
    *,
    kind: str,
    recipient_id: int,
    actor_id: int,
    post_id: int | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
    extra: str = "",
) -> str:
    """The one spelling of a notification's dedup key (bulk seeders write it too)."""
    key = f"{kind}:{recipient_id}:{actor_id}:{post_id or ''}"
    if subject_type:
        key += f":{subject_type}:{subject_id}"
    if extra:
        key += f":{extra}"
    return key


def notify(
    *,
    recipient_id: int,
    actor_id: int,
    kind: str,
    post_id: int | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
    dedup_extra: str = "",
) -> bool:
    """Create one notification unless it exists already, is about oneself, or the recipient
    blocks or mutes the actor, or may not see the post. True if created.

    `subject_type`/`subject_id` name a non-post subject registered in
    `voliere.notifications.subjects` (the caller checks the recipient may see it).
    `dedup_extra` distinguishes repeatable events about the same subject (e.g. the revision
    submitted for validation), which would otherwise notify only once."""
    if recipient_id == actor_id or _silenced(recipient_id, actor_id):
        return False
    if post_id is not None:
        recipient = Account.objects.filter(pk=recipient_id).first()
        if recipient is None or not Post.objects.visible_to(recipient).filter(pk=post_id).exists():
            return False
    key = dedup_key(
        kind=kind,
        recipient_id=recipient_id,
        actor_id=actor_id,
        post_id=post_id,
        subject_type=subject_type,
        subject_id=subject_id,
        extra=dedup_extra,
    )
    notification, created = Notification.objects.get_or_create(
        dedup_key=key,
        defaults={
            "recipient_id": recipient_id,
            "actor_id": actor_id,
            "kind": kind,
            "post_id": post_id,
            "subject_type": subject_type,
            "subject_id": subject_id,
        },
    )
    if created:
        # Live streams (voliere.streaming) pick it up after commit.
        emit("notification.created", notification_id=notification.id, recipient_id=recipient_id)
    return created


def notify_post_published(post_id: int, mentioned_ids: list[int]) -> None:
    post = (
        Post.objects.filter(pk=post_id, deleted_at__isnull=True).select_related("reblog_of").first()
    )
    if post is None:
        return
    if post.reblog_of_id:
        notify(
            recipient_id=post.reblog_of.author_id,
            actor_id=post.author_id,
            kind=NotificationKind.REPOST,
            post_id=post.reblog_of_id,
        )
        return
    replied_to = post.in_reply_to_account_id
    if replied_to:
        notify(
            recipient_id=replied_to,
            actor_id=post.author_id,
            kind=NotificationKind.REPLY,
            post_id=post.id,
        )
    if post.quote_of_id:
        quoted_author = (
            Post.objects.filter(pk=post.quote_of_id).values_list("author_id", flat=True).first()
        )
        if quoted_author:
            notify(
                recipient_id=quoted_author,
                actor_id=post.author_id,
                kind=NotificationKind.QUOTE,
                post_id=post.id,
            )
    for account_id in mentioned_ids:
        if account_id != replied_to:
            notify(
                recipient_id=account_id,
                actor_id=post.author_id,
                kind=NotificationKind.MENTION,
                post_id=post.id,
            )


def notify_post_liked(post_id: int, account_id: int) -> None:
    author_id = Post.objects.filter(pk=post_id).values_list("author_id", flat=True).first()
    if author_id:
        notify(
            recipient_id=author_id, actor_id=account_id, kind=NotificationKind.LIKE, post_id=post_id
        )


def notify_followed(follower_id: int, followee_id: int) -> None:
    notify(recipient_id=followee_id, actor_id=follower_id, kind=NotificationKind.FOLLOW)


def forget_post(post_id: int) -> None:
    Notification.objects.filter(post_id=post_id).delete()


def mark_read(recipient: Account, *, up_to_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if up_to_id is not None:
        qs = qs.filter(id__lte=up_to_id)
    return qs.update(read_at=timezone.now())
