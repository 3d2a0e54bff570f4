"""Posts: text and content warning, by author, community, language, hashtag and media.

Reposts (no text of their own) and deleted posts are not indexed; every other rule
(followers-only, direct, secret communities, blocks, suspended authors) is applied at
query time by `Post.objects.visible_to`, so a follow, block or suspension changes
results at once without touching the index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from voliere.core.text import extract_hashtags
from voliere.search import text
from voliere.search.documents import (
    META_MEDIA,
    Document,
    meta_author,
    meta_community,
    meta_language,
    meta_tag,
)
from voliere.search.kinds import TIME_FILTERS, Dependent, SearchKind

MEDIA_LABEL = "posts.post"

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from voliere.accounts.models import Account


def build(post: Any, extra: dict) -> Document | None:
    if post.deleted_at is not None or post.reblog_of_id is not None or not post.text:
        return None
    language = text.index_language(post.language, post.text)
    meta = [meta_author(post.author_id), meta_language(language)]
    if post.community_id:
        meta.append(meta_community(post.community_id))
    meta += [meta_tag(tag) for tag in extract_hashtags(post.text)]
    if extra.get("media"):
        meta.append(META_MEDIA)
    return Document(
        object_id=post.id,
        title=text.tokens(post.spoiler_text, language),
        body=text.tokens(post.text, language),
        meta=meta,
    )


def visible(viewer: Account | None) -> QuerySet:
    from voliere.posts.models import Post

    return Post.objects.visible_to(viewer).select_related("author", "community")


def media_extras(ids: list[int]) -> dict[int, dict]:
    """Which of these posts carry attachments (`voliere.media.queries.has_media`)."""
    from voliere.media.queries import has_media
    from voliere.posts.models import Post

    with_media = Post.objects.filter(pk__in=ids).filter(has_media(MEDIA_LABEL))
    return {post_id: {"media": True} for post_id in with_media.values_list("id", flat=True)}


def _posts_of_attachment(attachment: Any) -> list[int]:
    if attachment.subject_type == MEDIA_LABEL and attachment.subject_id:
        return [attachment.subject_id]
    return []


KIND = SearchKind(
    name="posts",
    table="post",
    model="posts.Post",
    fields=(
        "id",
        "text",
        "spoiler_text",
        "language",
        "author_id",
        "community_id",
        "deleted_at",
        "reblog_of_id",
    ),
    build=build,
    visible=visible,
    text_of=lambda post: (post.spoiler_text, post.text),
    date_of=lambda post: post.created_at,
    filters=frozenset({"from", "in", "lang", "tag", "has"}) | TIME_FILTERS,
    time_ordered=True,
    extras=media_extras,
    # Attachments are linked after the post row is written (same transaction).
    dependents=(Dependent("media.MediaAttachment", _posts_of_attachment),),
)
