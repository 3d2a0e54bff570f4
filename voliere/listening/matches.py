"""Saving topic matches and the hourly counts that go with them.

`save_matches` is the only writer of `TopicMatch` and `TopicHourStat`, used by live
ingestion and by topic backfills alike: a pair already matched is skipped (so running it
twice, or a backfill overlapping live ingestion, counts nothing twice), and the hour and
sentiment counters of the new matches are recounted in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncHour

from voliere.listening.models import Mention, TopicHourStat, TopicMatch


def hour_of(moment: datetime) -> datetime:
    """The UTC hour `moment` falls in (stats are kept per UTC hour)."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def save_matches(pairs: Iterable[tuple[int, Mention]]) -> list[TopicMatch]:
    """Record `(topic_id, mention)` pairs; returns the matches that are new."""
    wanted = {(topic_id, mention.id): mention for topic_id, mention in pairs}
    if not wanted:
        return []
    topic_ids = {topic_id for topic_id, _ in wanted}
    mention_ids = {mention_id for _, mention_id in wanted}
    existing = set(
        TopicMatch.objects.filter(topic_id__in=topic_ids, mention_id__in=mention_ids)
        .values_list("topic_id", "mention_id")
    )
    new = [
        TopicMatch(
            topic_id=topic_id, mention=mention, published_at=mention.published_at,
            sentiment=mention.sentiment, lang=mention.lang, network=mention.network,
            author_followers=mention.author_followers,
        )
        for (topic_id, _), mention in wanted.items()
        if (topic_id, mention.id) not in existing
    ]
    # ignore_conflicts: a concurrent writer (a backfill beside live ingestion) may have
    # saved the same pair meanwhile; the counters are recounted from the rows, not added.
    TopicMatch.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    refresh_hour_stats({(m.topic_id, hour_of(m.published_at)) for m in new})
    return new


def refresh_hour_stats(keys: set[tuple[int, datetime]]) -> None:
    """Recount `TopicHourStat` for these (topic id, UTC hour) pairs from `TopicMatch`:
    exact whatever ran before, so safe to repeat."""
    if not keys:
        return
    hours = [hour for _, hour in keys]
    rows = (
        TopicMatch.objects.filter(
            topic_id__in={topic_id for topic_id, _ in keys},
            published_at__gte=min(hours), published_at__lt=max(hours) + timedelta(hours=1),
        )
        .annotate(hour=TruncHour("published_at", tzinfo=UTC))
        .values("topic_id", "hour", "sentiment")
        .annotate(n=Count("id"))
    )
    stats = [
        TopicHourStat(topic_id=row["topic_id"], hour=row["hour"], sentiment=row["sentiment"],
                      count=row["n"])
        for row in rows
        if (row["topic_id"], row["hour"]) in keys
    ]
    TopicHourStat.objects.bulk_create(
        stats, batch_size=500, update_conflicts=True,
        unique_fields=["topic", "hour", "sentiment"], update_fields=["count"],
    )
