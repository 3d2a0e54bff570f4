"""Which stored mentions a topic is matched against, outside live ingestion.

An organisation's topics see what its own sources collected, plus every internal mention
(internal mentions exist only for posts readable by everyone: see `Mention`). The preview
and the backfill both read this, so a preview count is what a backfill will find.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q, QuerySet

from voliere.accounts.models import Account
from voliere.listening.models import Mention
from voliere.listening.pipeline.matching import MatchDoc

# What matching reads from a row (`MatchDoc.from_mention`) and `save_matches` copies.
MATCH_FIELDS = ("id", "text", "hashtags", "author_handle", "lang", "network", "published_at",
                "sentiment", "author_followers")


def listened_mentions(organisation: Account) -> QuerySet[Mention]:
    return Mention.objects.filter(Q(source__organisation=organisation) | Q(network="internal"))


def chunks_by_id(queryset: QuerySet[Mention], *, size: int, descending: bool = False,
                 after: int | None = None) -> Iterator[list[Mention]]:
    """`queryset` in chunks of `size` rows, keyset-paginated on id (no OFFSET: each chunk
    costs the same however deep), with only the fields matching needs."""
    queryset = queryset.only(*MATCH_FIELDS).order_by("-id" if descending else "id")
    last = after
    while True:
        page = queryset
        if last is not None:
            page = page.filter(id__lt=last) if descending else page.filter(id__gt=last)
        rows = list(page[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].id


def doc_of(mention: Mention) -> MatchDoc:
    return MatchDoc.from_mention(mention)
