"""Knowledge: articles (blogs and communities), forum threads, answers, votes, accepted
answers, and the validated space's state.

Reads go through `voliere.knowledge.access` / `queries` (drafts only to their authors,
secret communities only to their members, nothing across a block); every change through
`voliere.knowledge.actions`, which check who may do it.
"""

from __future__ import annotations

from typing import Literal

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from voliere.accounts.models import Account
from voliere.api.errors import ApiError
from voliere.api.operations import operation
from voliere.api.pagination import CursorQuery, page_model, paged
from voliere.api.schemas.common import load_organisations
from voliere.api.schemas.knowledge import (
    AnswerIn,
    AnswerOut,
    ArticleIn,
    ArticleOut,
    ArticleSummaryOut,
    ArticleUpdateIn,
    ThreadIn,
    ThreadOut,
    ThreadSummaryOut,
    ValidationState,
    from_answer,
    from_article,
    from_article_summary,
    from_thread,
    from_thread_summary,
)
from voliere.api.schemas.text import Text
from voliere.communities.models import Community
from voliere.core.exceptions import Forbidden
from voliere.knowledge import queries
from voliere.knowledge.access import access_article, access_thread, can_edit_article
from voliere.knowledge.actions import articles, forum, review
from voliere.knowledge.models import Article, ArticleAuthor, Thread

router = Router(tags=["Knowledge"])

ArticlePage = page_model(ArticleSummaryOut, "ArticlePage")
ThreadPage = page_model(ThreadSummaryOut, "ThreadPage")
READ = "read:statuses"
WRITE = "write:statuses"


class ArticleFilters(Schema):
    tag: Text = Field("", max_length=50)
    community: Text = Field("", max_length=50, description="A community's slug.")
    validated: bool = Field(False, description="Only items whose current text is validated.")

    def read(self, viewer: Account | None) -> queries.ListFilters:
        params = self.dict()
        params["validated"] = "1" if self.validated else ""
        return queries.read_filters(viewer, params)


class ThreadFilters(ArticleFilters):
    state: Literal["", "unanswered", "solved"] = ""


def _article_out(request: HttpRequest, article: Article) -> dict:
    """The full article with what it shows (authors in order, tags) in a few queries."""
    article = access_article(request.auth.viewer, article.pk)
    authors = ArticleAuthor.objects.select_related("account").order_by("added_at", "id")
    prefetch_related_objects([article], "tags", Prefetch("author_links", queryset=authors))
    load_organisations([link.account for link in article.author_links.all()])
    return from_article(request, article)


def _thread_out(request: HttpRequest, thread: Thread) -> dict:
    viewer = request.auth.viewer
    thread = access_thread(viewer, thread.pk)
    answers = queries.answers_for(viewer, thread)
    load_organisations([thread.author, *(a.author for a in answers)])
    return from_thread(request, thread, answers)


def _community_id(slug: Text | None) -> str:
    """A slug as the `community:<id>` form the actions resolve; an unknown slug becomes
    an id nobody has, so the action answers as it does for a community the caller may
    not post in (a secret community's existence never leaks)."""
    found = Community.objects.filter(slug=str(slug).lower()).values_list("pk", flat=True).first()
    return str(found or 0)


def _destination(viewer: Account, payload: ArticleIn) -> articles.Destination:
    if payload.blog and payload.community:
        raise ApiError(422, _("Give a blog or a community, not both."),
                       fields=[{"field": "community", "message": _("Give one place only.")}])
    if payload.community:
        raw = f"community:{_community_id(payload.community)}"
    elif payload.blog:
        owner = Account.objects.by_handle(payload.blog.lstrip("@")).values_list("pk", flat=True)
        raw = f"blog:{owner.first() or 0}"
    else:
        raw = f"blog:{viewer.pk}"
    return articles.resolve_destination(viewer, raw)


# Articles -------------------------------------------------------------------------------


@operation(router, "GET", "/articles", scopes=READ, anonymous=True, response=ArticlePage,
           summary="List articles", description="Published articles you may read, newest "
           "first. Drafts are never listed (your own are in `GET /articles/{id}`).")
def list_articles(request: HttpRequest, response: HttpResponse, filters: Query[ArticleFilters],
                  cursor: Query[CursorQuery]) -> dict:
    viewer = request.auth.viewer
    page = queries.articles_page(viewer, cursor.cursor(), filters.read(viewer))
    load_organisations([link.account for a in page.items for link in a.author_links.all()])
    return paged(request, response, [from_article_summary(request, a) for a in page.items], page)


@operation(router, "GET", "/articles/{article_id}", scopes=READ, anonymous=True,
           response=ArticleOut, summary="Get an article",
           description="A draft is found by its authors only.")
def get_article(request: HttpRequest, article_id: Text) -> dict:
    return _article_out(request, access_article(request.auth.viewer, article_id))


@operation(router, "POST", "/articles", scopes=WRITE, response=ArticleOut, status=201,
           summary="Write an article",
           description="A draft unless `publish`; in your blog unless `blog` or `community`.")
def create_article(request: HttpRequest, payload: ArticleIn) -> Status:
    viewer = request.auth.require_viewer()
    article = articles.create_article(
        viewer,
        title=payload.title,
        body=payload.body,
        destination=_destination(viewer, payload),
        tags=payload.tags,
        visibility=payload.visibility,
        publish=payload.publish,
    )
    return Status(201, _article_out(request, article))


@operation(router, "PATCH", "/articles/{article_id}", scopes=WRITE, response=ArticleOut,
           summary="Edit or publish an article",
           description="Authors only. Fields left out keep their value. A new text or new "
           "tags make a new revision and send a submitted or validated article back to "
           "review.")
def update_article(request: HttpRequest, article_id: Text, payload: ArticleUpdateIn) -> dict:
    viewer = request.auth.require_viewer()
    article = access_article(viewer, article_id)
    if not can_edit_article(viewer, article):
        raise Forbidden(_("Only the authors of this article may change it."))
    with transaction.atomic():
        if {"title", "body", "tags", "visibility"} & payload.model_fields_set:
            article = articles.edit_article(
                viewer,
                article,
                title=payload.title if payload.title is not None else article.title,
                body=payload.body if payload.body is not None else article.body,
                tags=(
                    payload.tags
                    if payload.tags is not None
                    else [tag.name for tag in article.tags.all()]
                ),
                visibility=payload.visibility,
            )
        if payload.publish:
            article = articles.publish_article(viewer, article)
    return _article_out(request, article)


def _submit(request: HttpRequest, item: Article | Thread) -> dict:
    viewer = request.auth.require_viewer()
    item = review.submit_for_validation(viewer, item)
    return {
        "revision": item.revision,
        "review_state": item.review_state,
        "validated_revision": item.validated_revision,
        "validated_at": item.validated_at,
    }


@operation(router, "POST", "/articles/{article_id}/submit", scopes=WRITE,
           response=ValidationState, summary="Submit an article for validation",
           description="Authors ask the validators of its space to validate the current "
           "revision (a published article only).")
def submit_article(request: HttpRequest, article_id: Text) -> dict:
    return _submit(request, access_article(request.auth.viewer, article_id))


# Threads and answers --------------------------------------------------------------------


@operation(router, "GET", "/threads", scopes=READ, anonymous=True, response=ThreadPage,
           summary="List questions", description="Forum threads you may read, newest first.")
def list_threads(request: HttpRequest, response: HttpResponse, filters: Query[ThreadFilters],
                 cursor: Query[CursorQuery]) -> dict:
    viewer = request.auth.viewer
    page = queries.threads_page(viewer, cursor.cursor(), filters.read(viewer))
    load_organisations([t.author for t in page.items])
    return paged(request, response, [from_thread_summary(request, t) for t in page.items], page)


@operation(router, "GET", "/threads/{thread_id}", scopes=READ, anonymous=True,
           response=ThreadOut, summary="Get a question with its answers")
def get_thread(request: HttpRequest, thread_id: Text) -> dict:
    return _thread_out(request, access_thread(request.auth.viewer, thread_id))


@operation(router, "POST", "/threads", scopes=WRITE, response=ThreadOut, status=201,
           summary="Ask a question",
           description="Instance-wide, or in a community you are a member of.")
def create_thread(request: HttpRequest, payload: ThreadIn) -> Status:
    viewer = request.auth.require_viewer()
    community = None
    if payload.community:
        community = forum.resolve_community(viewer, _community_id(payload.community))
    thread = forum.ask_question(
        viewer,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
        community=community,
        visibility=payload.visibility,
    )
    return Status(201, _thread_out(request, thread))


@operation(router, "POST", "/threads/{thread_id}/submit", scopes=WRITE,
           response=ValidationState, summary="Submit a question for validation")
def submit_thread(request: HttpRequest, thread_id: Text) -> dict:
    return _submit(request, access_thread(request.auth.viewer, thread_id))


@operation(router, "POST", "/threads/{thread_id}/answers", scopes=WRITE, response=AnswerOut,
           status=201, summary="Answer a question",
           description="In a community's thread, members only.")
def create_answer(request: HttpRequest, thread_id: Text, payload: AnswerIn) -> Status:
    viewer = request.auth.require_viewer()
    thread = access_thread(viewer, thread_id)
    answer = forum.answer_question(viewer, thread, payload.body)
    return Status(201, _answer_out(request, answer.pk))


def _answer_out(request: HttpRequest, answer_id: int | str) -> dict:
    viewer = request.auth.viewer
    answer = forum.access_answer(viewer, answer_id)
    for candidate in queries.answers_for(viewer, answer.thread):
        if candidate.pk == answer.pk:
            answer = candidate
            break
    load_organisations([answer.author])
    return from_answer(request, answer, accepted_id=answer.thread.accepted_answer_id)


def _answer_step(step: str):  # noqa: ANN202 — returns an operation
    """`vote`, `unvote` or `accept` on an answer, through the forum actions."""
    do = {
        "vote": forum.vote_for_answer,
        "unvote": forum.withdraw_vote,
        "accept": forum.accept_answer,
    }[step]

    def view(request: HttpRequest, answer_id: Text) -> dict:
        viewer = request.auth.require_viewer()
        do(viewer, forum.access_answer(viewer, answer_id))
        return _answer_out(request, answer_id)

    view.__name__ = f"{step}_answer"
    return view


operation(router, "POST", "/answers/{answer_id}/vote", scopes=WRITE, response=AnswerOut,
          summary="Up-vote an answer",
          description="One vote per person (not for your own answer); voting twice "
          "changes nothing.")(_answer_step("vote"))
operation(router, "POST", "/answers/{answer_id}/unvote", scopes=WRITE, response=AnswerOut,
          summary="Withdraw your vote")(_answer_step("unvote"))
operation(router, "POST", "/answers/{answer_id}/accept", scopes=WRITE, response=AnswerOut,
          summary="Accept an answer",
          description="The person who asked, or a moderator of the thread's community; "
          "replaces a previously accepted answer.")(_answer_step("accept"))
