"""Hashtags found by the folded prefix of a searched word ("reunion" → #réunions,
#reunion2026). A tag is shown only when at least one post the viewer may see carries it:
a tag used only in direct messages or a secret community stays unknown to others."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q

from voliere.core.text import extract_hashtags
from voliere.search.text import fold

if TYPE_CHECKING:
    from voliere.accounts.models import Account
    from voliere.posts.models import Hashtag


def remember_tags_of(texts: Iterable[str]) -> None:
    """Record the keys of the hashtags in these texts (idempotent; one query)."""
    from voliere.search.models import HashtagKey

    names = {name[:100] for value in texts for name in extract_hashtags(value)}
    if names:
        HashtagKey.objects.bulk_create(
            [HashtagKey(name=name, key=fold(name)[:100]) for name in names],
            ignore_conflicts=True,
        )


def matching(viewer: Account | None, prefixes: list[str], limit: int) -> list[Hashtag]:
    """Tags whose key starts with one of `prefixes`, carried by a post `viewer` may see;
    exact and shorter names first."""
    from voliere.posts.models import Hashtag, Post
    from voliere.search.models import HashtagKey

    if not prefixes:
        return []
    starts = functools.reduce(operator.or_, (Q(key__startswith=p) for p in prefixes))
    names = set(
        HashtagKey.objects.filter(starts)
        .order_by("key")
        .values_list("name", flat=True)[: limit * 4]
    )
    if not names:
        return []
    carried = Exists(Post.objects.visible_to(viewer).filter(hashtag_links__hashtag=OuterRef("pk")))
    found = list(Hashtag.objects.filter(name__in=names).filter(carried))
    found.sort(key=lambda tag: (len(tag.name), tag.name))
    return found[:limit]
