"""Reads for knowledge pages: lists with their filters, a thread's answers, the review queue.

Every read starts from `access.visible_articles` / `visible_threads`, and carries what the
page shows (`select_related` for one-to-one data, `prefetch_related` for tags and authors),
so a page costs the same number of queries whatever its size.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.communities.access import visible_communities
from voliere.communities.models import Community
from voliere.core.exceptions import InvalidInput
from voliere.core.pagination import Cursor, Page, paginate
from voliere.knowledge.access import (
    reviewable_filter,
    visible_answers,
    visible_articles,
    visible_threads,
)
from voliere.knowledge.models import (
    Answer,
    AnswerVote,
    Article,
    ArticleAuthor,
    ArticleStatus,
    ReviewState,
    Thread,
)
from voliere.knowledge.tags import normalize

THREAD_FILTERS = ("unanswered", "solved")


@dataclass(frozen=True, slots=True)
class ListFilters:
    """What the knowledge home's filter bar asks for (already checked)."""

    tag: str = ""
    community: Community | None = None
    state: str = ""  # "", "unanswered" or "solved" (questions only)
    validated: bool = False


def read_filters(viewer: Account | None, params: dict) -> ListFilters:
    """Filters from the query string. Raises InvalidInput naming the parameter at fault
    (an unknown or invisible community, an unknown state)."""
    community = None
    slug = (params.get("community") or "").strip().lower()
    if slug:
        community = visible_communities(viewer).filter(slug=slug).first()
        if community is None:
            raise InvalidInput(_("No such community: %(slug)s") % {"slug": slug}, field="community")
    state = (params.get("state") or "").strip()
    if state and state not in THREAD_FILTERS:
        raise InvalidInput(
            _("The filter must be one of: %(choices)s.") % {"choices": ", ".join(THREAD_FILTERS)},
            field="state",
        )
    return ListFilters(
        tag=normalize(params.get("tag") or "")[:50],
        community=community,
        state=state,
        validated=params.get("validated") in ("1", "true", "on"),
    )


def _filtered(qs: QuerySet, filters: ListFilters) -> QuerySet:
    if filters.tag:
        qs = qs.filter(tags__name=filters.tag)
    if filters.community is not None:
        qs = qs.filter(community=filters.community)
    if filters.validated:
        qs = qs.filter(review_state=ReviewState.VALIDATED)
    return qs


def _with_authors(qs: QuerySet[Article]) -> QuerySet[Article]:
    return qs.select_related("created_by", "blog", "community").prefetch_related(
        "tags",
        Prefetch(
            "author_links",
            queryset=ArticleAuthor.objects.select_related("account").order_by("added_at", "id"),
        ),
    )


def articles_page(
    viewer: Account | None,
    cursor: Cursor,
    filters: ListFilters | None = None,
    *,
    blog: Account | None = None,
) -> Page[Article]:
    """Published articles the viewer may read, newest first (drafts never listed here)."""
    qs = visible_articles(viewer).filter(status=ArticleStatus.PUBLISHED)
    qs = _filtered(qs, filters or ListFilters())
    if blog is not None:
        qs = qs.filter(blog=blog)
    return paginate(_with_authors(qs), cursor)


def drafts_of(viewer: Account) -> QuerySet[Article]:
    """The viewer's drafts they may still read (not those left behind in a secret
    community they are no longer a member of)."""
    return _with_authors(
        visible_articles(viewer).filter(status=ArticleStatus.DRAFT, author_links__account=viewer)
    ).order_by("-id")


def threads_page(
    viewer: Account | None, cursor: Cursor, filters: ListFilters | None = None
) -> Page[Thread]:
    filters = filters or ListFilters()
    qs = _filtered(visible_threads(viewer), filters)
    if filters.state == "unanswered":
        qs = qs.filter(answers_count=0)
    elif filters.state == "solved":
        qs = qs.filter(accepted_answer__isnull=False)
    qs = qs.select_related("author", "community").prefetch_related("tags")
    return paginate(qs, cursor)


def answers_for(viewer: Account | None, thread: Thread) -> list[Answer]:
    """The thread's answers: the accepted one first, then by votes, then oldest first.
    Each carries `voted` (the viewer up-voted it)."""
    qs = visible_answers(viewer, thread).select_related("author")
    if viewer is not None:
        qs = qs.annotate(
            voted=Exists(AnswerVote.objects.filter(answer=OuterRef("pk"), voter=viewer))
        )
    answers = list(qs.order_by("-score", "id"))
    answers.sort(key=lambda a: a.pk != thread.accepted_answer_id)  # stable: keeps vote order
    for answer in answers:
        answer.thread = thread
        answer.is_accepted = answer.pk == thread.accepted_answer_id
        if viewer is None:
            answer.voted = False
    return answers


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    articles: list[Article]
    threads: list[Thread]

    def __len__(self) -> int:
        return len(self.articles) + len(self.threads)


REVIEW_QUEUE_LIMIT = 100


def review_queue(viewer: Account) -> ReviewQueue:
    """Submitted items the viewer may validate and see, oldest submission first; their own
    items are left out (authors cannot validate their own work)."""
    allowed = reviewable_filter(viewer) & Q(review_state=ReviewState.SUBMITTED)
    articles = (
        _with_authors(visible_articles(viewer).filter(allowed))
        .exclude(author_links__account=viewer)
        .order_by("submitted_at", "id")[:REVIEW_QUEUE_LIMIT]
    )
    threads = (
        visible_threads(viewer)
        .filter(allowed)
        .exclude(author=viewer)
        .select_related("author", "community")
        .prefetch_related("tags")
        .order_by("submitted_at", "id")[:REVIEW_QUEUE_LIMIT]
    )
    return ReviewQueue(articles=list(articles), threads=list(threads))
