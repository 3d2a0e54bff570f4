"""Ask-an-expert: turn a question into a forum thread routed to the best experts.

- `ask_experts(viewer, query=..., title=..., body=..., experts=N)`: asks the question
  through the knowledge app's own action (`forum.ask_question`: same checks, revisions,
  search indexing), then routes it.
- `route_question(viewer, thread, query, experts=N)`: routes an existing question of the
  viewer's (once per thread: routing again returns the first routing unchanged).

Who is asked: the first N people of `find_experts(asker, query)` who may read the thread
(a question in a secret community only goes to its members), never the asker. Both
actions write in one transaction and emit `expertise.question_routed(question_id)` after
commit; the notification task tells each expert once (`notify.notify_experts`).

A double submission of the ask form (same `request_key` from the same asker) returns the
first question: the asker's account row is locked while checking, so two concurrent
submissions cannot both create a thread.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.communities.models import Community
from voliere.core.events import emit
from voliere.core.exceptions import Forbidden, InvalidInput
from voliere.expertise.models import ExpertRoute, RoutedQuestion
from voliere.expertise.query import ExpertQuery, parse_expert_query
from voliere.expertise.ranking import find_experts
from voliere.knowledge.access import access_thread, visible_threads
from voliere.knowledge.actions import forum
from voliere.knowledge.models import Thread

MAX_EXPERTS = 10
REQUEST_KEY_MAX = 64


def default_experts() -> int:
    """N when the asker does not choose: `EXPERTISE_EXPERTS_PER_QUESTION`, default 3."""
    return int(getattr(settings, "EXPERTISE_EXPERTS_PER_QUESTION", 3))


def clean_experts(raw: int | str | None) -> int:
    if raw in (None, ""):
        return default_experts()
    try:
        count = int(raw)
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= MAX_EXPERTS:
        raise InvalidInput(
            _("Ask between 1 and %(max)s experts.") % {"max": MAX_EXPERTS}, field="experts"
        )
    return count


def _checked_asker(viewer: Account) -> None:
    if viewer.is_suspended:
        raise Forbidden(_("Suspended accounts cannot ask questions."))


def _experts_for(viewer: Account, thread: Thread, query: ExpertQuery, count: int) -> list:
    """The best `count` experts who may read `thread`, best first."""
    pool = find_experts(viewer, query, limit=min(count * 4, 50), exclude=[viewer.pk])
    chosen = []
    for result in pool:
        if visible_threads(result.account).filter(pk=thread.pk).exists():
            chosen.append(result)
            if len(chosen) == count:
                break
    return chosen


@transaction.atomic
def route_question(
    viewer: Account,
    thread: Thread,
    query: str | ExpertQuery,
    *,
    experts: int | str | None = None,
    request_key: str = "",
) -> RoutedQuestion:
    """Route the viewer's question `thread` to the top experts for `query`. Raises
    Forbidden for someone else's question, InvalidInput for a bad query or N."""
    _checked_asker(viewer)
    thread = access_thread(viewer, thread.pk)
    if thread.author_id != viewer.pk:
        raise Forbidden(_("Only the person who asked may send the question to experts."))
    count = clean_experts(experts)
    parsed = parse_expert_query(query) if isinstance(query, str) else query
    existing = RoutedQuestion.objects.filter(thread=thread).first()
    if existing is not None:
        return existing
    question = RoutedQuestion.objects.create(
        thread=thread,
        asked_by=viewer,
        query=parsed.text,
        experts_wanted=count,
        request_key=request_key[:REQUEST_KEY_MAX],
    )
    ExpertRoute.objects.bulk_create(
        [
            ExpertRoute(question=question, expert=result.account, rank=rank, score=result.score)
            for rank, result in enumerate(_experts_for(viewer, thread, parsed, count), start=1)
        ]
    )
    emit("expertise.question_routed", question_id=question.pk)
    return question


@transaction.atomic
def ask_experts(
    viewer: Account,
    *,
    query: str,
    title: str,
    body: str,
    tags: str | list[str] = "",
    community: Community | None = None,
    visibility: str = "internal",
    experts: int | str | None = None,
    request_key: str = "",
) -> RoutedQuestion:
    """Ask a new question and route it (see the module docstring). Every check runs
    before anything is written; an error leaves no thread and no routing."""
    _checked_asker(viewer)
    parsed = parse_expert_query(query)
    count = clean_experts(experts)
    request_key = (request_key or "")[:REQUEST_KEY_MAX]
    if request_key:
        Account.objects.select_for_update().filter(pk=viewer.pk).first()
        earlier = RoutedQuestion.objects.filter(asked_by=viewer, request_key=request_key).first()
        if earlier is not None:
            return earlier
    thread = forum.ask_question(
        viewer, title=title, body=body, tags=tags, community=community, visibility=visibility
    )
    return route_question(viewer, thread, parsed, experts=count, request_key=request_key)
