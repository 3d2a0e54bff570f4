from __future__ import annotations

from django.db import models


class HashtagKey(models.Model):
    """A hashtag name (as `posts.Hashtag` stores it) and its folded key ("Réunion2026" →
    "reunion2026") so that "reunion" finds "#réunions" by prefix, through an index, on
    both databases. Written when a post carrying the tag is indexed; never deleted (a tag
    is only shown when a post the viewer may see carries it)."""

    name = models.CharField(max_length=100, unique=True)
    key = models.CharField(max_length=100, db_index=True)

    def __str__(self) -> str:
        return f"#{self.name}"
