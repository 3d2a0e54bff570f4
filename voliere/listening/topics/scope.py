"""Which stored mentions a topic is matched against outside live ingestion, and the scan
that matches them.

An organisation's topics see what its own sources collected, plus every internal mention
(internal mentions exist only for posts readable by everyone: see `Mention`). The preview
and the backfill both use `scan`, so a preview count is what a backfill will find.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from voliere.accounts.models import Account
from voliere.listening.models import Mention
from voliere.listening.pipeline.matching import MatchDoc, TopicMatcher

# What matching reads from every row (plain strings, cheap to read), then what
# `save_matches` copies into a match (read only for the matched rows).
_MATCH_FIELDS = ("id", "text", "hashtags", "author_handle", "lang", "network")
_COPIED_FIELDS = ("id", "published_at", "sentiment", "lang", "network", "author_followers")


def listened_mentions(organisation: Account) -> QuerySet[Mention]:
    return Mention.objects.filter(Q(source__organisation=organisation) | Q(network="internal"))


@dataclass(frozen=True, slots=True)
class Chunk:
    read: int  # rows read in this chunk
    matched: list[Mention]  # unsaved instances carrying id and the fields a match copies
    last_id: int


def scan(queryset: QuerySet[Mention], matcher: TopicMatcher, *, size: int,
         newest_first: bool = False, limit: int | None = None) -> Iterator[Chunk]:
    """Match `queryset` chunk by chunk, keyset-paginated on id (no OFFSET: each chunk costs
    the same however deep). Rows are read as tuples of strings, not models, and the
    matcher's text prefilter skips the word splitting of posts that cannot match; the
    matched rows are then read again with what a match copies (dates need converting,
    which costs more than matching). Stops after `limit` rows."""
    ordered = queryset.order_by("-id" if newest_first else "id").values_list(*_MATCH_FIELDS)
    last: int | None = None
    remaining = limit
    while remaining is None or remaining > 0:
        page = ordered
        if last is not None:
            page = page.filter(id__lt=last) if newest_first else page.filter(id__gt=last)
        rows = list(page[:size if remaining is None else min(size, remaining)])
        if not rows:
            return
        ids = [
            row[0] for row in rows
            if matcher.might_match(row[1], row[2] or ())
            and matcher.match(MatchDoc(row[1], row[2] or (), row[3], row[4], row[5]))
        ]
        matched = list(Mention.objects.filter(id__in=ids).only(*_COPIED_FIELDS)
                       .order_by("-id" if newest_first else "id")) if ids else []
        last = rows[-1][0]
        if remaining is not None:
            remaining -= len(rows)
        yield Chunk(len(rows), matched, last)
