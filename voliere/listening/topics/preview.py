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
from voliere.listening.topics.scope import listened_mentions, scan

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
    last_id = None
    for chunk in scan(recent, matcher, size=CHUNK, newest_first=True, limit=scan_limit):
        result.scanned += chunk.read
        result.count += len(chunk.matched)
        sample_ids.extend(m.id for m in chunk.matched[:SAMPLES - len(sample_ids)])
        last_id = chunk.last_id
    if result.scanned >= scan_limit and last_id is not None:
        result.capped = recent.filter(id__lt=last_id).exists()
    if sample_ids:
        result.samples = list(Mention.objects.filter(id__in=sample_ids)
                              .only(*SAMPLE_FIELDS).order_by("-published_at", "-id"))
    return result
