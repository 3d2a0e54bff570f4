"""Articles, forum threads and answers, with their place in the validated space.

Validation state (`review_state`): `free` (never submitted, or withdrawn), `submitted`
(waiting for a validator), `validated` (the CURRENT revision was approved: the badge) or
`rejected`. `validated_revision` keeps the last approved revision even after an edit sent
the item back to review.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Schema

from voliere.api.schemas.common import AccountOut, absolute, from_account
from voliere.api.schemas.communities import CommunityRef, from_community_ref
from voliere.api.schemas.text import Text
from voliere.knowledge.models import Answer, Article, Thread
from voliere.knowledge.models.base import BODY_MAX, TITLE_MAX, KnowledgeItem

Visibility = Literal["public", "internal"]


class ValidationState(Schema):
    revision: int
    review_state: Literal["free", "submitted", "validated", "rejected"]
    validated_revision: int | None = None
    validated_at: datetime | None = None


class ItemOut(ValidationState):
    id: str
    url: str
    title: str
    excerpt: str
    visibility: Visibility
    community: CommunityRef | None = None
    tags: list[str]
    created_at: datetime
    updated_at: datetime


class ArticleSummaryOut(ItemOut):
    status: Literal["draft", "published"]
    blog: AccountOut | None = Field(None, description="The blog's owner (null in a community).")
    authors: list[AccountOut]
    published_at: datetime | None = None
    comments_count: int


class ArticleOut(ArticleSummaryOut):
    body: str = Field(description="Markdown, as written.")
    body_html: str = Field(description="The sanitised HTML rendering of `body`.")


class ThreadSummaryOut(ItemOut):
    author: AccountOut
    answers_count: int
    accepted_answer_id: str | None = None
    last_activity_at: datetime


class AnswerOut(Schema):
    id: str
    thread_id: str
    author: AccountOut
    body: str
    body_html: str
    score: int = Field(description="Up-votes.")
    accepted: bool
    voted_by_me: bool
    created_at: datetime
    edited_at: datetime | None = None


class ThreadOut(ThreadSummaryOut):
    body: str
    body_html: str
    answers: list[AnswerOut] = Field(description="The accepted one first, then by votes.")


class ArticleIn(Schema):
    title: Text = Field(max_length=TITLE_MAX)
    body: Text = Field(max_length=BODY_MAX, description="Markdown.")
    tags: list[Text] = Field(default_factory=list)
    visibility: Visibility = "internal"
    blog: Text | None = Field(
        None,
        description="Handle of the blog to publish in: yours (the default) or an "
        "organisation's you manage. Give `blog` or `community`, not both.",
    )
    community: Text | None = Field(None, description="Slug of a community you are a member of.")
    publish: bool = Field(False, description="Publish now; otherwise a draft only authors see.")


class ArticleUpdateIn(Schema):
    title: Text | None = Field(None, max_length=TITLE_MAX)
    body: Text | None = Field(None, max_length=BODY_MAX)
    tags: list[Text] | None = None
    visibility: Visibility | None = None
    publish: bool = Field(False, description="Publish a draft (a published article stays so).")


class ThreadIn(Schema):
    title: Text = Field(max_length=TITLE_MAX)
    body: Text = Field(max_length=BODY_MAX, description="Markdown.")
    tags: list[Text] = Field(default_factory=list)
    visibility: Visibility = "internal"
    community: Text | None = Field(
        None, description="Slug of a community you are a member of; null: instance-wide."
    )


class AnswerIn(Schema):
    body: Text = Field(description="Markdown.")


def _item(request: HttpRequest, item: KnowledgeItem) -> dict:
    """Tags must be prefetched (`prefetch_related("tags")`) on lists."""
    community = item.community if item.community_id else None
    return {
        "id": str(item.pk),
        "url": absolute(request, item.get_absolute_url()),
        "title": item.title,
        "excerpt": item.excerpt,
        "visibility": item.visibility,
        "community": from_community_ref(request, community) if community else None,
        "tags": sorted(tag.name for tag in item.tags.all()),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "revision": item.revision,
        "review_state": item.review_state,
        "validated_revision": item.validated_revision,
        "validated_at": item.validated_at,
    }


def from_article_summary(request: HttpRequest, article: Article) -> dict:
    """`article` comes from `knowledge.queries` (authors and tags prefetched)."""
    return {
        **_item(request, article),
        "status": article.status,
        "blog": from_account(request, article.blog) if article.blog_id else None,
        "authors": [from_account(request, link.account) for link in article.author_links.all()],
        "published_at": article.published_at,
        "comments_count": article.comments_count,
    }


def from_article(request: HttpRequest, article: Article) -> dict:
    return {
        **from_article_summary(request, article),
        "body": article.body,
        "body_html": article.body_html,
    }


def from_thread_summary(request: HttpRequest, thread: Thread) -> dict:
    accepted = thread.accepted_answer_id
    return {
        **_item(request, thread),
        "author": from_account(request, thread.author),
        "answers_count": thread.answers_count,
        "accepted_answer_id": str(accepted) if accepted is not None else None,
        "last_activity_at": thread.last_activity_at,
    }


def from_answer(request: HttpRequest, answer: Answer, *, accepted_id: int | None) -> dict:
    return {
        "id": str(answer.pk),
        "thread_id": str(answer.thread_id),
        "author": from_account(request, answer.author),
        "body": answer.body,
        "body_html": answer.body_html,
        "score": answer.score,
        "accepted": answer.pk == accepted_id,
        "voted_by_me": bool(getattr(answer, "voted", False)),
        "created_at": answer.created_at,
        "edited_at": answer.edited_at,
    }


def from_thread(request: HttpRequest, thread: Thread, answers: list[Answer]) -> dict:
    return {
        **from_thread_summary(request, thread),
        "body": thread.body,
        "body_html": thread.body_html,
        "answers": [
            from_answer(request, a, accepted_id=thread.accepted_answer_id) for a in answers
        ],
    }
