"""Denormalized post counters of a community, kept by `voliere.posts.actions` as it
publishes and deletes posts (in the same transaction, so counts never drift from a
rolled-back post). Imports nothing from `posts`, so `posts` can call it."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.db.models.functions import Greatest

from voliere.communities.models import Community


def post_added(community_id: int, at: datetime) -> None:
    """One more live post; `last_post_at` (the directory's activity order) moves forward
    only, so a post published with an older date never makes a community look idle."""
    Community.objects.filter(pk=community_id, last_post_at__isnull=True).update(last_post_at=at)
    Community.objects.filter(pk=community_id).update(
        posts_count=F("posts_count") + 1, last_post_at=Greatest("last_post_at", at)
    )


def post_removed(community_id: int) -> None:
    Community.objects.filter(pk=community_id, posts_count__gt=0).update(
        posts_count=F("posts_count") - 1
    )
