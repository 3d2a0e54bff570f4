"""Telling routed experts about a question (run by `tasks`, after commit).

Each expert is checked again at delivery: someone who lost access to the thread meanwhile
(left its secret community, blocked the asker) is not told. `notify` deduplicates on
(kind, recipient, actor, thread), so a retried or repeated task never notifies twice;
`notified_at` records the first delivery.
"""

from __future__ import annotations

from django.utils import timezone

from voliere.expertise.models import ExpertRoute, RoutedQuestion
from voliere.knowledge.access import visible_threads
from voliere.notifications.actions import notify
from voliere.notifications.models import NotificationKind


def notify_experts(question_id: int) -> int:
    """Notify the question's experts; returns how many notifications were created."""
    question = RoutedQuestion.objects.filter(pk=question_id).first()
    if question is None:
        return 0
    created = 0
    for route in ExpertRoute.objects.filter(question=question).select_related("expert"):
        if not visible_threads(route.expert).filter(pk=question.thread_id).exists():
            continue
        created += notify(
            recipient_id=route.expert_id,
            actor_id=question.asked_by_id,
            kind=NotificationKind.EXPERT_QUESTION,
            subject_type="thread",
            subject_id=question.thread_id,
        )
        ExpertRoute.objects.filter(pk=route.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
    return created
