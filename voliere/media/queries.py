"""Reads about media that other apps compose into their own queries (search's `has:media`,
the profile's Media tab, Mastodon's `only_media`)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from voliere.media.models import MediaAttachment


def has_media(label: str, ref: str = "pk") -> Exists:
    """`Exists(...)` true for rows of the model `label` (such as `posts.post`) that have at
    least one attachment; `ref` is the outer field holding the subject id. Uses the
    `(subject_type, subject_id, position)` index."""
    return Exists(MediaAttachment.objects.filter(subject_type=label, subject_id=OuterRef(ref)))


def posts_with_media(posts: QuerySet) -> QuerySet:
    """Posts of `posts` that carry media; a repost counts when its original does.

    Compose it with `visible_to` (it filters nothing about permissions itself):
    `posts_with_media(Post.objects.visible_to(viewer))`.
    """
    own = has_media("posts.post", "pk")
    original = has_media("posts.post", "reblog_of_id")
    return posts.filter(own | original)
