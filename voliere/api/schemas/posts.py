"""Posts, as the community timelines return them (the Mastodon API serves the rest)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Schema

from voliere.api.schemas.common import AccountOut, absolute, from_account
from voliere.posts.models import Post


class PostOut(Schema):
    id: str
    url: str
    author: AccountOut
    text: str = Field(description="What the author typed.")
    content_html: str = Field(description="The sanitised HTML rendering of `text`.")
    spoiler_text: str
    language: str
    visibility: str
    created_at: datetime
    edited_at: datetime | None = None
    in_reply_to_id: str | None = None
    quote_of_id: str | None = None
    replies_count: int
    reblogs_count: int
    likes_count: int


def _id(value: int | None) -> str | None:
    return str(value) if value is not None else None


def from_post(request: HttpRequest, post: Post) -> dict:
    """`post` comes from `for_display()` (its author loaded with it)."""
    return {
        "id": str(post.pk),
        "url": absolute(request, post.get_absolute_url()),
        "author": from_account(request, post.author),
        "text": post.text,
        "content_html": post.content_html,
        "spoiler_text": post.spoiler_text,
        "language": post.language,
        "visibility": post.visibility,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "in_reply_to_id": _id(post.in_reply_to_id),
        "quote_of_id": _id(post.quote_of_id),
        "replies_count": post.replies_count,
        "reblogs_count": post.reblogs_count,
        "likes_count": post.likes_count,
    }
