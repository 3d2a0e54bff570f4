"""Routing records of ask-an-expert: which question went to whom, and when.

The question itself is an ordinary forum thread (`knowledge.Thread`, which keeps
`first_answer_at` and `accepted_at`); `RoutedQuestion` marks it as routed, which is what
the time-to-answer report compares against the other questions.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class RoutedQuestion(models.Model):
    """A forum thread sent to experts by the expert finder (at most once per thread).

    - `query`: what the asker searched for, the subject the experts were chosen on;
    - `experts_wanted`: N, how many experts the asker chose to ask;
    - `request_key`: a random key carried by the ask form, so a double submission returns
      the first question instead of creating a second thread (unique per asker).
    """

    thread = models.OneToOneField(
        "knowledge.Thread", on_delete=models.CASCADE, related_name="routing"
    )
    asked_by = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=500)
    experts_wanted = models.PositiveSmallIntegerField()
    request_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["asked_by", "request_key"],
                condition=~Q(request_key=""),
                name="routed_question_request_unique",
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="routed_question_created_idx")]


class ExpertRoute(models.Model):
    """One expert asked: their `rank` in the finder's list when asked (1 = best) and
    `score`; `notified_at` is set when the notification task has run for them."""

    question = models.ForeignKey(RoutedQuestion, on_delete=models.CASCADE, related_name="routes")
    expert = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["question", "expert"], name="expert_route_unique")
        ]
        indexes = [models.Index(fields=["expert", "-created_at"], name="expert_route_expert_idx")]
