"""Forum threads: a question, its answers, votes on answers and one accepted answer.

Votes are up-votes only (one per person and answer, `AnswerVote`'s unique constraint).
Why not down-votes: this is a company network where novices ask experts in front of their
colleagues (PRODUCT.md story 11); a public minus next to a colleague's name discourages
exactly the people the forum is for. A wrong answer is handled by better answers rising,
by the accepted answer, and by comments — not by a negative score.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from voliere.core.ids import new_id
from voliere.knowledge.models.base import KnowledgeItem

ANSWER_MAX = 50_000


class Thread(KnowledgeItem):
    """A question (`title` + Markdown `body`) in a community or instance-wide (community None).

    Timestamps kept for the expertise finder's time-to-answer report:
    - `first_answer_at`: when the first answer was posted (never cleared);
    - `accepted_at`: when the current accepted answer was chosen (None when none is).
    """

    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    author = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    answers_count = models.PositiveIntegerField(default=0)
    first_answer_at = models.DateTimeField(null=True, blank=True)
    accepted_answer = models.ForeignKey(
        "Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["community", "-id"], name="thread_community_id_idx"),
            models.Index(fields=["answers_count", "-id"], name="thread_answers_id_idx"),
            models.Index(fields=["review_state", "-id"], name="thread_review_id_idx"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("knowledge_thread", args=[self.id])

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None


class Answer(models.Model):
    """An answer to a thread. `score` is the number of up-votes, kept by the vote actions."""

    id = models.BigIntegerField(primary_key=True, default=new_id, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=ANSWER_MAX)
    body_html = models.TextField(blank=True)
    score = models.IntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["thread", "-score", "id"], name="answer_thread_score_idx")]

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#answer-{self.id}"


class AnswerVote(models.Model):
    """One up-vote per person and answer; the unique constraint makes concurrent double
    clicks harmless (the second insert fails and is ignored)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "voter"], name="answer_vote_unique")
        ]
