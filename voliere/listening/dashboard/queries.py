"""The dashboard's reads: grouped queries only, sized by the number of chart bars or list
rows, never by the number of matches (STYLE.md: no full scan per page view).

Volumes come from `TopicHourStat` (one row per topic, UTC hour and sentiment, kept by the
ingestion) whenever the filters only involve topic, period and sentiment; otherwise from
`TopicMatch`, whose denormalized columns (time, sentiment, language, network, reach) and
(topic, published_at) index answer them without reading `Mention` — except the author,
hashtag and term criteria of a drill-down, which join it.

Counts are *matches*: a mention matched by two topics counts once in each (that is what a
topic's volume means, and what share of voice compares). Lists of authors and posts count
each mention once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncHour
from django.utils import timezone

from voliere.accounts.models import Account
from voliere.listening.dashboard.filters import DashboardFilters, page_marker
from voliere.listening.dashboard.terms import top_terms
from voliere.listening.models import Alert, Mention, Sentiment, Topic, TopicHourStat, TopicMatch

SENTIMENTS = (Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE)
TOP_SIZE = 10
# Top authors and top posts are ranked over the latest stretch of the period holding at
# least this many matches (the whole period when it holds fewer): their grouped queries
# read `Mention` rows, so their cost must be bounded whatever the period's volume.
WINDOW = 20_000
# Hashtags and terms are counted over the latest mentions only: their texts and tag lists
# are read in Python, so the work must not grow with the period.
SAMPLE_SIZE = 5_000


# --- topics -------------------------------------------------------------------------------

def dashboard_topics(organisation: Account) -> list[Topic]:
    """The organisation's topics, each with its latest alert (`latest_alert_id`,
    `latest_alert_title`, `latest_alert_kind`, `latest_alert_at`) — one query."""
    latest = Alert.objects.filter(topic=OuterRef("pk")).order_by("-created_at", "-id")
    return list(
        Topic.objects.filter(organisation=organisation)
        .annotate(
            latest_alert_id=Subquery(latest.values("id")[:1]),
            latest_alert_title=Subquery(latest.values("title")[:1]),
            latest_alert_kind=Subquery(latest.values("kind")[:1]),
            latest_alert_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("kind", "name")
    )


def scope_topic_ids(topics: list[Topic], filters: DashboardFilters) -> list[int]:
    """The topics the filters select among the organisation's (all of them by default)."""
    if filters.topic_id is not None:
        return [t.id for t in topics if t.id == filters.topic_id]
    if filters.side == "brand":
        return [t.id for t in topics if not t.is_competitor]
    if filters.side == "competitor":
        return [t.id for t in topics if t.is_competitor]
    return [t.id for t in topics]


def matches_in(topic_ids: list[int], filters: DashboardFilters) -> QuerySet[TopicMatch]:
    return TopicMatch.objects.filter(filters.match_q(), topic_id__in=topic_ids)


def _stats_in(topic_ids: list[int], filters: DashboardFilters, since: datetime,
              until: datetime) -> QuerySet[TopicHourStat]:
    stats = TopicHourStat.objects.filter(topic_id__in=topic_ids, hour__gte=since, hour__lt=until)
    if filters.sentiment:
        stats = stats.filter(sentiment=filters.sentiment)
    return stats


# --- volume over time ---------------------------------------------------------------------

@dataclass
class Bucket:
    """One chart bar: [start, end) with its matches per sentiment."""

    start: datetime
    end: datetime
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SENTIMENTS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, sentiment: str) -> float:
        """Percentage of this bucket's matches with `sentiment` (0 for an empty bucket)."""
        return 100 * self.counts[sentiment] / self.total if self.total else 0.0


@dataclass
class Series:
    bucket: str  # "hour" or "day"
    buckets: list[Bucket]
    from_stats: bool  # read from TopicHourStat (True) or counted from TopicMatch

    @property
    def total(self) -> int:
        return sum(b.total for b in self.buckets)

    @property
    def peak(self) -> int:
        return max((b.total for b in self.buckets), default=0)


def _bucket_starts(filters: DashboardFilters) -> list[datetime]:
    """Bar starts covering the period: UTC hours, or local midnights (days are the
    reader's days, in settings.TIME_ZONE)."""
    if filters.bucket == "hour":
        count = int(filters.span / timedelta(hours=1))
        return [filters.since + timedelta(hours=i) for i in range(count)]
    zone = timezone.get_current_timezone()
    day = filters.since.astimezone(zone).date()
    last = (filters.until - timedelta(microseconds=1)).astimezone(zone).date()
    starts = []
    while day <= last:
        starts.append(datetime.combine(day, datetime.min.time(), tzinfo=zone))
        day += timedelta(days=1)
    return starts


class UTCHour(TruncHour):
    """The UTC hour of a datetime column. On SQLite, Django's truncation calls a Python
    function per row; `strftime` is SQLite's own C function over the stored UTC text."""

    def __init__(self, expression: str) -> None:
        super().__init__(expression, tzinfo=UTC)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"strftime('%%Y-%%m-%%d %%H:00:00', {sql})", params


def volume_series(topic_ids: list[int], filters: DashboardFilters) -> Series:
    """Matches per bar and sentiment over the period: one query grouped by UTC hour and
    sentiment (at most 24 × 3 rows a day, however many matches), folded here into the
    bars, which are local days beyond two days (time zones off UTC by whole hours)."""
    from_stats = not filters.needs_mention_fields
    if from_stats:
        rows = (
            _stats_in(topic_ids, filters, filters.since, filters.until)
            .values("hour", "sentiment").annotate(n=Sum("count")).order_by()
        )
    else:
        rows = (
            matches_in(topic_ids, filters).annotate(hour=UTCHour("published_at"))
            .values("hour", "sentiment").annotate(n=Count("id")).order_by()
        )
    starts = _bucket_starts(filters)
    step = timedelta(hours=1) if filters.bucket == "hour" else timedelta(days=1)
    buckets = [Bucket(start=start, end=min(_add(start, step), filters.until)) for start in starts]
    if filters.bucket == "hour":
        by_key = {bucket.start.astimezone(UTC): bucket for bucket in buckets}
    else:
        by_key = {bucket.start.date(): bucket for bucket in buckets}
    zone = timezone.get_current_timezone()
    for row in rows:
        hour = row["hour"].astimezone(UTC)
        key = hour if filters.bucket == "hour" else hour.astimezone(zone).date()
        bucket = by_key.get(key)
        if bucket is not None:
            bucket.counts[row["sentiment"]] += row["n"] or 0
    if buckets:  # the first day may begin before the period: show the period's own start
        buckets[0].start = max(buckets[0].start, filters.since)
    return Series(bucket=filters.bucket, buckets=buckets, from_stats=from_stats)


def _add(start: datetime, step: timedelta) -> datetime:
    """`start` + `step` in wall-clock time (a local day is 23 or 25 hours at DST changes)."""
    if step == timedelta(hours=1):
        return start + step
    next_day = start.date() + timedelta(days=1)
    return datetime.combine(next_day, datetime.min.time(), tzinfo=start.tzinfo)


# --- per-topic cards and share of voice ---------------------------------------------------

@dataclass
class TopicVolume:
    topic: Topic
    count: int
    previous: int
    negative: int

    @property
    def change(self) -> float | None:
        """Percentage change against the previous period; None when it had nothing."""
        if not self.previous:
            return None
        return 100 * (self.count - self.previous) / self.previous

    @property
    def negative_share(self) -> float:
        return 100 * self.negative / self.count if self.count else 0.0


def topic_volumes(topics: list[Topic], filters: DashboardFilters) -> list[TopicVolume]:
    """Each topic's matches in the period and in the previous one, and its negative
    matches: one grouped query for all topics."""
    if not topics:
        return []
    previous_since, _ = filters.previous
    ids = [t.id for t in topics]
    if filters.needs_mention_fields:
        current = Q(published_at__gte=filters.since)
        negative = current & Q(sentiment=Sentiment.NEGATIVE)
        rows = (
            matches_in(ids, filters.with_(since=previous_since)).values("topic_id")
            .annotate(n_now=Count("id", filter=current), n_before=Count("id", filter=~current),
                      n_negative=Count("id", filter=negative))
        )
    else:
        current = Q(hour__gte=filters.since)
        negative = current & Q(sentiment=Sentiment.NEGATIVE)
        rows = (
            _stats_in(ids, filters, previous_since, filters.until).values("topic_id")
            .annotate(n_now=_sum_of_count(current), n_before=_sum_of_count(~current),
                      n_negative=_sum_of_count(negative))
        )
    by_topic = {row["topic_id"]: row for row in rows}
    empty = {"n_now": 0, "n_before": 0, "n_negative": 0}
    return [
        TopicVolume(topic=topic, count=row["n_now"], previous=row["n_before"],
                    negative=row["n_negative"])
        for topic in topics
        for row in [by_topic.get(topic.id, empty)]
    ]


def _sum_of_count(condition: Q) -> Coalesce:
    return Coalesce(Sum("count", filter=condition), 0, output_field=IntegerField())


@dataclass
class VoiceShare:
    label: str
    count: int
    percent: float
    topic_id: int | None  # None for the brand side (all non-competitor topics)


def share_of_voice(volumes: list[TopicVolume], *, brand_label: str) -> list[VoiceShare]:
    """The brand (every non-competitor topic together) against each competitor topic.
    Empty when the organisation watches no competitor (there is nothing to compare)."""
    competitors = [v for v in volumes if v.topic.is_competitor]
    if not competitors:
        return []
    brand = sum(v.count for v in volumes if not v.topic.is_competitor)
    total = brand + sum(v.count for v in competitors)
    rows = [VoiceShare(str(brand_label), brand, 0.0, None)] + [
        VoiceShare(v.topic.name, v.count, 0.0, v.topic.id) for v in competitors
    ]
    for row in rows:
        row.percent = 100 * row.count / total if total else 0.0
    return rows


# --- authors, posts, hashtags, terms -----------------------------------------------------

def recent_window(series: Series, filters: DashboardFilters, *, size: int | None = None
                  ) -> datetime:
    """The start of the latest bars of `series` that hold at least `size` matches (the
    period's start when the whole period holds fewer). Read from the series already
    counted, so it costs no query; its precision is one bar (an hour or a day)."""
    size = WINDOW if size is None else size
    count = 0
    for bucket in reversed(series.buckets):
        count += bucket.total
        if count >= size:
            return max(bucket.start, filters.since)
    return filters.since


@dataclass
class TopAuthor:
    handle: str
    network: str
    name: str
    url: str
    count: int
    reach: int


def top_authors(topic_ids: list[int], filters: DashboardFilters,
                limit: int = TOP_SIZE) -> list[TopAuthor]:
    """Authors by number of mentions, with their reach (the most followers seen)."""
    rows = (
        matches_in(topic_ids, filters).exclude(mention__author_handle="")
        .values("network", handle=F("mention__author_handle"))
        .annotate(count=Count("mention_id", distinct=True), reach=Max("author_followers"),
                  name=Max("mention__author_name"), url=Max("mention__author_url"))
        .order_by("-count", "-reach", "handle")[:limit]
    )
    return [TopAuthor(handle=r["handle"], network=r["network"], name=r["name"] or "",
                      url=r["url"] or "", count=r["count"], reach=r["reach"] or 0)
            for r in rows]


def top_posts(topic_ids: list[int], filters: DashboardFilters,
              limit: int = TOP_SIZE) -> list[Mention]:
    """The mentions with the most reach (author followers), newest first among equals."""
    matches = (
        matches_in(topic_ids, filters).select_related("mention")
        .order_by("-author_followers", "-published_at", "-mention_id")[: limit * 3]
    )
    seen: dict[int, Mention] = {}
    for match in matches:
        seen.setdefault(match.mention_id, match.mention)
    return list(seen.values())[:limit]


@dataclass
class Sample:
    """Hashtag and term counts over the latest `size` mentions of the period."""

    size: int
    capped: bool
    hashtags: list[tuple[str, int]]
    terms: list[tuple[str, int]]


def sample_counts(topics: list[Topic], topic_ids: list[int], filters: DashboardFilters,
                  *, size: int = SAMPLE_SIZE) -> Sample:
    """Top hashtags and terms of the latest `size` matched mentions (each mention counted
    once). Terms leave out stop words (French and English), links, handles, hashtags and
    the words of the selected topics' own queries (every mention has those)."""
    rows = list(
        matches_in(topic_ids, filters).order_by("-published_at")
        .values_list("mention_id", "mention__text", "mention__hashtags")[: size + 1]
    )
    capped = len(rows) > size
    texts: dict[int, str] = {}
    tags: Counter[str] = Counter()
    for mention_id, text, hashtags in rows[:size]:
        if mention_id in texts:
            continue
        texts[mention_id] = text
        tags.update({str(tag).lower() for tag in hashtags or []})
    queries = [t.query for t in topics if t.id in set(topic_ids)]
    return Sample(size=len(texts), capped=capped, hashtags=tags.most_common(TOP_SIZE),
                  terms=top_terms(texts.values(), exclude_from=queries, limit=TOP_SIZE))


# --- the drill-down list ------------------------------------------------------------------

def drilldown_mentions(organisation: Account, topic_ids: list[int],
                       filters: DashboardFilters) -> QuerySet[Mention]:
    """The mentions the filters select, newest first, each with the organisation's topics
    that matched it (`org_matches`, prefetched: constant queries per page)."""
    matched = matches_in(topic_ids, filters).filter(mention_id=OuterRef("pk"))
    # Walking the mentions' published_at index newest first and probing each one's matches
    # stops after a page; `id IN (all matches of the period)` would read the whole period.
    return (
        Mention.objects.filter(published_at__gte=filters.since, published_at__lt=filters.until)
        .filter(Exists(matched))
        .prefetch_related(Prefetch(
            "matches", to_attr="org_matches",
            queryset=TopicMatch.objects.filter(topic__organisation=organisation)
            .select_related("topic").order_by("topic__name"),
        ))
        .order_by("-published_at", "-id")
    )


@dataclass
class MentionsPage:
    mentions: list[Mention]
    next_before: str | None  # the `before` parameter of the next (older) page


def mentions_page(mentions: QuerySet[Mention], *, before: tuple[datetime, int] | None,
                  size: int) -> MentionsPage:
    """One page of `drilldown_mentions`, after the (published_at, id) keyset `before`:
    rows arriving meanwhile neither shift nor repeat the pages."""
    if before is not None:
        moment, mention_id = before
        mentions = mentions.filter(published_at__lte=moment).exclude(
            published_at=moment, id__gte=mention_id)
    rows = list(mentions[: size + 1])
    if len(rows) <= size:
        return MentionsPage(rows, None)
    rows = rows[:size]
    return MentionsPage(rows, page_marker(rows[-1].published_at, rows[-1].id))
