"""Alert detectors: pure rules over hourly counts and matches, with "now" as a parameter.

Every detector returns `Finding`s; `voliere.listening.alerts.actions.record_findings` turns
them into `Alert` rows (once per episode, by the unique (topic, kind, episode_key)). Hours
are UTC hours as kept in `TopicHourStat`; `H` below is the hour `now` falls in (still
filling up), `count(h)` the topic's matches in hour `h` (0 when no row).

Volume burst (`burst`), hour-of-day and day-of-week aware:

- The topic is observed from its first `TopicHourStat` hour; hours before that are unknown,
  not zero. With less than one day observed, nothing fires (no baseline yet).
- expected(h) = w · median(weekly) + (1 − w) · median(daily), where `weekly` are the counts
  of the same hour of the week over the last 8 weeks (h − 7 d, …, h − 56 d, observed ones
  only), `daily` the counts of the same hour of the day over the last 14 days, and
  w = min(len(weekly), 4) / 4: with four observed weeks the weekly median alone decides;
  with shorter history the hour-of-day median fills in.
- threshold(h) = max(10, 2 · expected + 3 · √expected) — twice the usual volume plus three
  Poisson standard deviations, and never fewer than 10 mentions.
- An hour is hot when count(h) ≥ threshold(h). A burst episode is a run of consecutive hot
  hours among the last 48; its key is the run's first hour. It is ongoing while its last hot
  hour is H or H − 1 (the current hour may still be filling up), and ends (`ended_at` = end
  of its last hot hour) once a complete hour after it is not hot. Only ongoing episodes
  fire: history imported later does not raise alerts for bursts long over.

Negative-sentiment spike (`negative`): the same episode rule over hours where the window of
the 3 hours ending with h has ≥ 10 negative mentions and a negative share ≥ p₀ + max(0.15,
3 · √(p₀(1 − p₀)/n)) — n the window's mentions, p₀ the topic's negative share over the 14
days before the window, smoothed towards 20 % with the weight of 20 mentions (so a young or
quiet topic has a sensible baseline).

High-reach author (`high_reach`): a mention matched in the last 24 h whose author has at
least `LISTENING_HIGH_REACH_FOLLOWERS` followers (setting, default 10,000). One episode per
author, network and day.

New competitor campaign hashtag (`new_hashtag`), competitor topics only, observed for at
least 7 days: a hashtag used in ≥ 5 of the topic's mentions in the last 24 h and in fewer
than 2 of its mentions of the 30 days before. The key is the hashtag and the day it was
first seen.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Min, Q, Sum
from django.utils.translation import gettext as _

from voliere.listening.matches import hour_of
from voliere.listening.models import (
    Alert,
    AlertKind,
    Sentiment,
    Topic,
    TopicHourStat,
    TopicKind,
    TopicMatch,
)

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = timedelta(days=7)

SCAN_HOURS = 48
BURST_WEEKS = 8
BURST_FULL_WEEKS = 4
BURST_DAYS = 14
BURST_RATIO = 2.0
BURST_SIGMAS = 3.0
BURST_MIN_VOLUME = 10

NEGATIVE_WINDOW_HOURS = 3
NEGATIVE_BASELINE_DAYS = 14
NEGATIVE_MIN_COUNT = 10
NEGATIVE_MIN_LIFT = 0.15
NEGATIVE_SIGMAS = 3.0
NEGATIVE_PRIOR_SHARE = 0.2
NEGATIVE_PRIOR_WEIGHT = 20

HIGH_REACH_WINDOW = DAY
HIGH_REACH_LIMIT = 20  # alerts per topic and detection run, biggest audiences first

HASHTAG_WINDOW = DAY
HASHTAG_HISTORY = timedelta(days=30)
HASHTAG_MIN_COUNT = 5
HASHTAG_MAX_PRIOR = 1
HASHTAG_MIN_OBSERVED = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Finding:
    """What a detector saw. `fires`: create the alert if this episode has none yet;
    `ended_at`: the episode is over (set on its alert if still open)."""

    topic_id: int
    kind: str
    episode_key: str
    title: str
    started_at: datetime
    fires: bool
    ended_at: datetime | None = None
    details: dict = field(default_factory=dict)


@dataclass(slots=True)
class HourCounts:
    total: int = 0
    negative: int = 0


Series = dict[datetime, HourCounts]


@dataclass(frozen=True, slots=True)
class Expectation:
    expected: float
    threshold: float
    weekly: tuple[int, ...]
    daily: tuple[int, ...]


# --- volume baseline ---------------------------------------------------------------------


def expected_volume(series: Series, hour: datetime, observed_since: datetime) -> Expectation | None:
    """The topic's usual count for `hour` and the burst threshold (see the module rule);
    None when less than one day of history precedes `hour`."""
    weekly = tuple(
        _count(series, hour - k * WEEK) for k in range(1, BURST_WEEKS + 1)
        if hour - k * WEEK >= observed_since
    )
    daily = tuple(
        _count(series, hour - j * DAY) for j in range(1, BURST_DAYS + 1)
        if hour - j * DAY >= observed_since
    )
    if not daily:
        return None
    weight = min(len(weekly), BURST_FULL_WEEKS) / BURST_FULL_WEEKS
    expected = weight * (statistics.median(weekly) if weekly else 0.0)
    expected += (1 - weight) * statistics.median(daily)
    return Expectation(expected=float(expected), threshold=burst_threshold(expected),
                       weekly=weekly, daily=daily)


def burst_threshold(expected: float) -> float:
    return max(float(BURST_MIN_VOLUME),
               BURST_RATIO * expected + BURST_SIGMAS * math.sqrt(max(expected, 0.0)))


def _count(series: Series, hour: datetime) -> int:
    counts = series.get(hour)
    return counts.total if counts else 0


# --- negative share ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NegativeWindow:
    negative: int
    total: int
    baseline_share: float
    required_share: float

    @property
    def share(self) -> float:
        return self.negative / self.total if self.total else 0.0

    @property
    def hot(self) -> bool:
        return self.negative >= NEGATIVE_MIN_COUNT and self.share >= self.required_share


class HourlySums:
    """Running totals of a series over a contiguous range of hours: the sum over any span of
    hours in O(1), so the 14-day baseline of every scanned hour costs no rescan."""

    def __init__(self, series: Series, first: datetime, last: datetime) -> None:
        self.first = first
        size = int((last - first) / HOUR) + 1
        self.total = [0] * (size + 1)
        self.negative = [0] * (size + 1)
        for index in range(size):
            counts = series.get(first + index * HOUR)
            self.total[index + 1] = self.total[index] + (counts.total if counts else 0)
            self.negative[index + 1] = self.negative[index] + (counts.negative if counts else 0)

    def between(self, start: datetime, end: datetime) -> tuple[int, int]:
        """(negative, total) over the hours in [start, end), clipped to the range."""
        last = len(self.total) - 1
        lo = min(max(int((start - self.first) / HOUR), 0), last)
        hi = min(max(int((end - self.first) / HOUR), 0), last)
        if hi <= lo:
            return 0, 0
        return self.negative[hi] - self.negative[lo], self.total[hi] - self.total[lo]


def negative_window(sums: HourlySums, hour: datetime) -> NegativeWindow:
    """Negative mentions in the 3 hours ending with `hour` against the 14 days before."""
    first = hour - (NEGATIVE_WINDOW_HOURS - 1) * HOUR
    negative, total = sums.between(first, hour + HOUR)
    base_negative, base_total = sums.between(first - NEGATIVE_BASELINE_DAYS * DAY, first)
    baseline = (base_negative + NEGATIVE_PRIOR_SHARE * NEGATIVE_PRIOR_WEIGHT) / (
        base_total + NEGATIVE_PRIOR_WEIGHT
    )
    noise = NEGATIVE_SIGMAS * math.sqrt(baseline * (1 - baseline) / total) if total else 1.0
    return NegativeWindow(negative=negative, total=total, baseline_share=baseline,
                          required_share=baseline + max(NEGATIVE_MIN_LIFT, noise))


# --- episodes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    first: datetime
    last: datetime

    @property
    def hours(self) -> int:
        return int((self.last - self.first) / HOUR) + 1


def hot_runs(hot_hours: Iterable[datetime]) -> list[Run]:
    """Consecutive hot hours grouped into runs, oldest first."""
    runs: list[Run] = []
    for hour in sorted(hot_hours):
        if runs and hour - runs[-1].last == HOUR:
            runs[-1] = Run(runs[-1].first, hour)
        else:
            runs.append(Run(hour, hour))
    return runs


def episode_findings(
    *, topic: Topic, kind: str, runs: list[Run], current: datetime, scan_start: datetime,
    open_keys: list[str], describe: dict[datetime, tuple[str, dict]],
) -> list[Finding]:
    """Findings for hourly episodes: the ongoing run fires (keyed by its first hour, or by
    the open alert it continues when it began before the scanned hours), runs that are over
    close their alerts, and open alerts with no ongoing run are closed."""
    findings: list[Finding] = []
    older = [key for key in open_keys if _parse(key, current) < scan_start]
    for run in runs:
        ongoing = run.last >= current - HOUR
        key = run.first.isoformat()
        if run.first == scan_start and older:
            key = min(older)  # the run began before the scanned hours: same episode
        title, details = describe[run.last]
        details = {**details, "first_hour": run.first.isoformat(),
                   "last_hour": run.last.isoformat(), "hours": run.hours}
        findings.append(Finding(
            topic_id=topic.pk, kind=kind, episode_key=key, title=title,
            started_at=_parse(key, run.first), fires=ongoing,
            ended_at=None if ongoing else run.last + HOUR, details=details,
        ))
    seen = {f.episode_key for f in findings}
    for key in open_keys:
        if key not in seen:
            started = _parse(key, current)
            findings.append(Finding(
                topic_id=topic.pk, kind=kind, episode_key=key, title="", started_at=started,
                fires=False, ended_at=scan_start if started < scan_start else current,
            ))
    return findings


def _parse(key: str, fallback: datetime) -> datetime:
    try:
        return datetime.fromisoformat(key)
    except ValueError:
        return fallback


def burst_findings(topic: Topic, series: Series, observed_since: datetime | None,
                   now: datetime, open_keys: list[str]) -> list[Finding]:
    current = hour_of(now)
    scan_start = current - (SCAN_HOURS - 1) * HOUR
    hot: list[datetime] = []
    describe: dict[datetime, tuple[str, dict]] = {}
    if observed_since is not None:
        for offset in range(SCAN_HOURS):
            hour = scan_start + offset * HOUR
            expectation = expected_volume(series, hour, observed_since)
            count = _count(series, hour)
            if expectation is None or count < expectation.threshold:
                continue
            hot.append(hour)
            describe[hour] = (
                _("%(topic)s: %(count)s mentions in an hour, about %(expected)s expected") % {
                    "topic": topic.name, "count": count,
                    "expected": round(expectation.expected, 1)},
                {"count": count, "expected": round(expectation.expected, 2),
                 "threshold": round(expectation.threshold, 2)},
            )
    return episode_findings(topic=topic, kind=AlertKind.BURST, runs=hot_runs(hot),
                            current=current, scan_start=scan_start, open_keys=open_keys,
                            describe=describe)


def negative_findings(topic: Topic, series: Series, now: datetime,
                      open_keys: list[str]) -> list[Finding]:
    current = hour_of(now)
    scan_start = current - (SCAN_HOURS - 1) * HOUR
    hot: list[datetime] = []
    describe: dict[datetime, tuple[str, dict]] = {}
    sums = HourlySums(series, scan_start - NEGATIVE_WINDOW_HOURS * HOUR
                      - NEGATIVE_BASELINE_DAYS * DAY, current)
    for offset in range(SCAN_HOURS):
        hour = scan_start + offset * HOUR
        window = negative_window(sums, hour)
        if not window.hot:
            continue
        hot.append(hour)
        describe[hour] = (
            _("%(topic)s: %(share)s%% negative mentions (%(negative)s of %(total)s), "
              "usually %(usual)s%%") % {
                "topic": topic.name, "share": round(100 * window.share),
                "negative": window.negative, "total": window.total,
                "usual": round(100 * window.baseline_share)},
            {"negative": window.negative, "total": window.total,
             "share": round(window.share, 3), "baseline_share": round(window.baseline_share, 3)},
        )
    return episode_findings(topic=topic, kind=AlertKind.NEGATIVE, runs=hot_runs(hot),
                            current=current, scan_start=scan_start, open_keys=open_keys,
                            describe=describe)


# --- point events ------------------------------------------------------------------------


def high_reach_findings(topic: Topic, now: datetime) -> list[Finding]:
    threshold = settings.LISTENING_HIGH_REACH_FOLLOWERS
    matches = (
        TopicMatch.objects.filter(topic=topic, published_at__gt=now - HIGH_REACH_WINDOW,
                                  published_at__lte=now, author_followers__gte=threshold)
        .select_related("mention").order_by("-author_followers", "published_at")
    )
    findings: dict[str, Finding] = {}
    for match in matches[: HIGH_REACH_LIMIT * 4]:
        mention = match.mention
        day = mention.published_at.astimezone(UTC).date().isoformat()
        key = f"{mention.network}:{mention.author_handle.lower()}:{day}"[:200]
        if key in findings:
            continue
        findings[key] = Finding(
            topic_id=topic.pk, kind=AlertKind.HIGH_REACH, episode_key=key,
            title=_("%(topic)s: @%(handle)s (%(followers)s followers) posted") % {
                "topic": topic.name, "handle": mention.author_handle,
                "followers": mention.author_followers},
            started_at=mention.published_at, fires=True, ended_at=mention.published_at,
            details={"mention_id": mention.pk, "author_handle": mention.author_handle,
                     "author_followers": mention.author_followers, "url": mention.url,
                     "network": mention.network, "text": mention.text[:500]},
        )
        if len(findings) >= HIGH_REACH_LIMIT:
            break
    return list(findings.values())


def new_hashtag_findings(topic: Topic, observed_since: datetime | None,
                         now: datetime) -> list[Finding]:
    window_start = now - HASHTAG_WINDOW
    if (topic.kind != TopicKind.COMPETITOR or observed_since is None
            or observed_since > window_start - HASHTAG_MIN_OBSERVED):
        return []
    counts: Counter[str] = Counter()
    first_seen: dict[str, datetime] = {}
    for tags, published_at in _hashtags(topic, window_start, now):
        for tag in set(tags):
            counts[tag] += 1
            first_seen[tag] = min(first_seen.get(tag, published_at), published_at)
    candidates = {tag for tag, n in counts.items() if n >= HASHTAG_MIN_COUNT}
    already = {
        key.rsplit(":", 1)[0]
        for key in Alert.objects.filter(
            topic=topic, kind=AlertKind.NEW_HASHTAG,
            created_at__gte=now - HASHTAG_HISTORY - HASHTAG_WINDOW,
        ).values_list("episode_key", flat=True)
    }
    candidates -= already
    if not candidates:
        return []
    prior: Counter[str] = Counter()
    for tags, published_at in _hashtags(topic, window_start - HASHTAG_HISTORY, window_start):
        for tag in candidates.intersection(tags):
            prior[tag] += 1
            first_seen[tag] = min(first_seen[tag], published_at)
    findings = []
    for tag in sorted(candidates):
        if prior[tag] > HASHTAG_MAX_PRIOR:
            continue
        seen = first_seen[tag].astimezone(UTC)
        findings.append(Finding(
            topic_id=topic.pk, kind=AlertKind.NEW_HASHTAG,
            episode_key=f"{tag[:180]}:{seen.date().isoformat()}",
            title=_("%(topic)s: new hashtag #%(tag)s (%(count)s mentions in 24 hours)") % {
                "topic": topic.name, "tag": tag, "count": counts[tag]},
            started_at=seen, fires=True, ended_at=None,
            details={"hashtag": tag, "count": counts[tag], "previous_30_days": prior[tag]},
        ))
    return findings


def _hashtags(topic: Topic, start: datetime, end: datetime) -> Iterable[tuple[list, datetime]]:
    rows = TopicMatch.objects.filter(topic=topic, published_at__gt=start, published_at__lte=end)
    for tags, published_at in rows.values_list("mention__hashtags", "published_at").iterator(
            chunk_size=2000):
        yield [str(t).lower() for t in tags or [] if t], published_at


# --- loading and running -----------------------------------------------------------------


def load_series(topic_ids: Iterable[int], start: datetime, end: datetime, *,
                also: Iterable[datetime] = ()) -> dict[int, Series]:
    """Hourly totals and negative counts per topic, from `start` to `end` inclusive, plus
    the hours in `also` (summed over sentiments by the database: one row per hour)."""
    series: dict[int, Series] = defaultdict(dict)
    when = Q(hour__gte=start, hour__lte=end)
    extra = sorted(hour for hour in set(also) if not start <= hour <= end)
    if extra:
        when |= Q(hour__in=extra)
    rows = (
        TopicHourStat.objects.filter(when, topic_id__in=list(topic_ids))
        .values("topic_id", "hour")
        .annotate(total=Sum("count"),
                  negative=Sum("count", filter=Q(sentiment=Sentiment.NEGATIVE)))
        .values_list("topic_id", "hour", "total", "negative")
    )
    for topic_id, hour, total, negative in rows.iterator(chunk_size=5000):
        series[topic_id][hour.astimezone(UTC)] = HourCounts(total=total or 0,
                                                            negative=negative or 0)
    return series


def detection_series(topic_ids: list[int], current: datetime) -> dict[int, Series]:
    """What the hourly detectors read: the hours scanned with their 14-day background (the
    day-of-hour samples and the negative baseline), and the same hours of the week back to
    `BURST_WEEKS` weeks — not every hour of eight weeks."""
    scan_start = current - (SCAN_HOURS - 1) * HOUR
    recent = scan_start - max(BURST_DAYS * DAY,
                              NEGATIVE_BASELINE_DAYS * DAY + NEGATIVE_WINDOW_HOURS * HOUR)
    weekly = [scan_start + offset * HOUR - weeks * WEEK for offset in range(SCAN_HOURS)
              for weeks in range(1, BURST_WEEKS + 1)]
    return load_series(topic_ids, recent, current, also=weekly)


def observed_since(topic_ids: Iterable[int]) -> dict[int, datetime]:
    """Each topic's first counted hour: its history starts there."""
    rows = (TopicHourStat.objects.filter(topic_id__in=list(topic_ids)).values("topic_id")
            .annotate(first=Min("hour")).values_list("topic_id", "first"))
    return {topic_id: first.astimezone(UTC) for topic_id, first in rows}


def detect(topic_ids: Iterable[int], now: datetime) -> list[Finding]:
    """Run every detector for these (active) topics as of `now`."""
    topics = list(Topic.objects.filter(pk__in=list(topic_ids), is_active=True))
    if not topics:
        return []
    ids = [t.pk for t in topics]
    current = hour_of(now)
    series = detection_series(ids, current)
    observed = observed_since(ids)
    open_keys: dict[tuple[int, str], list[str]] = defaultdict(list)
    for topic_id, kind, key in Alert.objects.filter(
        topic_id__in=ids, kind__in=[AlertKind.BURST, AlertKind.NEGATIVE], ended_at__isnull=True
    ).values_list("topic_id", "kind", "episode_key"):
        open_keys[(topic_id, kind)].append(key)
    findings: list[Finding] = []
    for topic in topics:
        topic_series = series.get(topic.pk, {})
        findings += burst_findings(topic, topic_series, observed.get(topic.pk), now,
                                   open_keys[(topic.pk, AlertKind.BURST)])
        findings += negative_findings(topic, topic_series, now,
                                      open_keys[(topic.pk, AlertKind.NEGATIVE)])
        findings += high_reach_findings(topic, now)
        findings += new_hashtag_findings(topic, observed.get(topic.pk), now)
    return findings
