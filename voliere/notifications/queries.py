"""Reading notifications: permission filters live here, for every surface."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from voliere.accounts.models import Account, Block, Mute
from voliere.notifications.models import Notification
from voliere.notifications.subjects import visible_subjects_q
from voliere.posts.models import Post


def visible_notifications(recipient: Account) -> QuerySet[Notification]:
    """The recipient's notifications minus those about posts they can no longer see
    (deleted, or visibility changed) and those from accounts they block, mute, or that
    block them, and those about a subject (community, article...) they may no longer see.
    Unordered; callers paginate on id."""
    blocked = Block.objects.filter(blocker=recipient).values("blocked")
    blocked_by = Block.objects.filter(blocked=recipient).values("blocker")
    muted = Mute.objects.filter(muter=recipient).values("muted")
    post_visible = Exists(Post.objects.visible_to(recipient).filter(pk=OuterRef("post_id")))
    return (
        Notification.objects.filter(recipient=recipient)
        .filter(Q(post__isnull=True) | post_visible)
        .filter(visible_subjects_q(recipient))
        .exclude(actor__in=blocked)
        .exclude(actor__in=blocked_by)
        .exclude(actor__in=muted)
        .select_related("actor", "post__author")
    )


def unread_count(recipient: Account) -> int:
    return visible_notifications(recipient).filter(read_at__isnull=True).count()
