"""What people wrote about a subject, as far as one viewer may see it.

For a query, the full-text index (`voliere.search.backends`, the same tokens as search)
gives the newest matching posts, articles and forum questions, at most `WINDOW` of each
kind; then each batch goes through its owning app's permission rule:
`Post.objects.visible_to`, `knowledge.access.visible_articles` / `visible_threads`.
What the viewer may not see (a followers-only post of someone they do not follow, a
direct message, anything in a secret community they are not in, a draft) never reaches
the ranking, so it can neither raise someone's rank nor be shown as a reason.

Forum answers are not indexed on their own: an answer counts for a subject when its
QUESTION matches (an answer to "Which valve for a 3 bar line?" shows knowledge of valves,
whatever words the answer itself uses), and it counts more when it is the accepted one.

Why a window: recent work weighs most (`ranking.HALF_LIFE_DAYS`), so the newest matches
carry the signal; a word found in hundreds of thousands of posts is ranked on its newest
`WINDOW` of each kind, which keeps a query within its 200 ms budget (bench/expertise.py).
The look-ups skip relevance scoring (`ranked=False`): the finder weighs items by kind and
age, not by how well their text matches. 1,000 rather than 2,000: on the benchmark's
company (~4,000 matching posts a year for a common subject) it halves the index walk and
the permission-filtered read, and the top 20 people are the same as with every match
counted (bench/RESULTS.md).

Cost: three index look-ups and three permission-filtered reads, whatever the number of
matches or of people.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models.expressions import RawSQL

from voliere.knowledge.access import visible_articles, visible_threads
from voliere.knowledge.models import Answer, ArticleAuthor, ArticleStatus, ReviewState
from voliere.posts.models import Post
from voliere.search import backends

if TYPE_CHECKING:
    from voliere.accounts.models import Account
    from voliere.expertise.query import ExpertQuery

WINDOW = 1000

POST = "post"
ANSWER = "answer"
ACCEPTED_ANSWER = "accepted_answer"
ARTICLE = "article"
KINDS = (POST, ANSWER, ACCEPTED_ANSWER, ARTICLE)


@dataclass(frozen=True)
class Item:
    """One visible piece of work matching the query. `object_id` is the post, answer or
    article id; `title` is the article's or the question's title (empty for posts, whose
    text is read only for the people shown)."""

    kind: str
    object_id: int
    author_id: int
    date: datetime.datetime
    validated: bool = False
    title: str = ""
    thread_id: int | None = None


@dataclass
class Evidence:
    """Everything one person wrote that matches, by kind."""

    items: dict[str, list[Item]] = field(default_factory=lambda: defaultdict(list))

    def add(self, item: Item) -> None:
        self.items[item.kind].append(item)


def _matching_ids(table: str, query: ExpertQuery) -> list[int]:
    hits = backends.backend().newest(table, query.match_query(), WINDOW, ranked=False)
    return [hit.object_id for hit in hits]


def id_set(ids: list[int]) -> RawSQL:
    """`ids` as ONE query parameter (a JSON array on SQLite, an array on PostgreSQL), for
    `pk__in=`: thousands of ids as separate parameters cost more to prepare in Django than
    the query costs to run."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


def _posts(viewer: Account | None, ids: list[int]) -> list[Item]:
    if not ids:
        return []
    rows = (
        Post.objects.visible_to(viewer)
        .filter(pk__in=id_set(ids))
        .values_list("id", "author_id", "created_at")
    )
    return [Item(POST, pk, author, date) for pk, author, date in rows]


def _articles(viewer: Account | None, ids: list[int]) -> list[Item]:
    """Every author of a visible, published matching article gets the credit."""
    if not ids:
        return []
    matching = id_set(ids)
    readable = visible_articles(viewer).filter(pk__in=matching, status=ArticleStatus.PUBLISHED)
    # `article_id__in` as well: lets the database start from the (article, account) index.
    rows = ArticleAuthor.objects.filter(article_id__in=matching, article__in=readable).values_list(
        "article_id",
        "account_id",
        "article__published_at",
        "article__created_at",
        "article__review_state",
        "article__title",
    )
    return [
        Item(
            ARTICLE,
            article_id,
            author,
            published or created,
            validated=state == ReviewState.VALIDATED,
            title=title,
        )
        for article_id, author, published, created, state, title in rows
    ]


def _answers(viewer: Account | None, thread_ids: list[int]) -> list[Item]:
    """Answers to visible matching questions; the question's validation counts for its
    answers (a validated Q&A is vetted knowledge)."""
    if not thread_ids:
        return []
    matching = id_set(thread_ids)
    readable = visible_threads(viewer).filter(pk__in=matching)
    rows = Answer.objects.filter(thread_id__in=matching, thread__in=readable).values_list(
        "id",
        "author_id",
        "created_at",
        "thread_id",
        "thread__accepted_answer_id",
        "thread__review_state",
        "thread__title",
    )
    return [
        Item(
            ACCEPTED_ANSWER if accepted == pk else ANSWER,
            pk,
            author,
            date,
            validated=state == ReviewState.VALIDATED,
            title=title,
            thread_id=thread_id,
        )
        for pk, author, date, thread_id, accepted, state, title in rows
    ]


def collect(viewer: Account | None, query: ExpertQuery) -> dict[int, Evidence]:
    """{author id: Evidence} of the matching work `viewer` may see (authors not yet
    checked: the ranking drops suspended, blocked and non-person accounts)."""
    found: dict[int, Evidence] = defaultdict(Evidence)
    items = (
        _posts(viewer, _matching_ids("post", query))
        + _articles(viewer, _matching_ids("article", query))
        + _answers(viewer, _matching_ids("thread", query))
    )
    for item in items:
        found[item.author_id].add(item)
    return found
