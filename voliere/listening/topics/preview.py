"""The live preview of a query being edited: how many of the organisation's mentions of
the last 7 days it matches, and the newest samples.

Evaluated in Python with the same compiled matcher as ingestion (so the preview never
disagrees with what will be matched), over `scope.listened_mentions` newest first, in
keyset chunks. At most `SCAN_LIMIT` mentions are read: beyond that the count is shown as
"at least N" rather than making the manager wait.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from voliere.accounts.models import Account
from voliere.listening.models import Mention
from voliere.listening.pipeline.matching import compile_topics
from voliere.listening.query import Query
from voliere.listening.topics.scope import chunks_by_id, doc_of, listened_mentions

WINDOW = timedelta(days=7)
SCAN_LIMIT = 100_000
CHUNK = 2000
SAMPLES = 10
SAMPLE_FIELDS = ("id", "text", "author_handle", "author_name", "url", "published_at",
                 "network", "sentiment", "lang")


@dataclass
class Preview:
    count: int = 0
    scanned: int = 0
    capped: bool = False  # stopped at SCAN_LIMIT: `count` is a lower bound
    samples: list[Mention] = field(default_factory=list)


def preview_query(organisation: Account, query: Query, *,
                  scan_limit: int = SCAN_LIMIT) -> Preview:
    matcher = compile_topics([(0, query.text)])
    recent = listened_mentions(organisation).filter(published_at__gte=timezone.now() - WINDOW)
    result = Preview()
    sample_ids: list[int] = []
    for rows in chunks_by_id(recent, size=min(CHUNK, scan_limit), descending=True):
        rows = rows[:scan_limit - result.scanned]
        result.scanned += len(rows)
        for mention in rows:
            if matcher.match(doc_of(mention)):
                result.count += 1
                if len(sample_ids) < SAMPLES:
                    sample_ids.append(mention.id)
        if result.scanned >= scan_limit:
            result.capped = recent.filter(id__lt=rows[-1].id).exists()
            break
    if sample_ids:
        result.samples = list(Mention.objects.filter(id__in=sample_ids)
                              .only(*SAMPLE_FIELDS).order_by("-published_at", "-id"))
    return result
