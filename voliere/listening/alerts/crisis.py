"""What the crisis view shows for one alert: the burst's timeline against its baseline,
what drives it, who amplifies it, and its tone — all from the alert's own topic, so only
the organisation's data.

The episode is [started_at, ended_at) (still open: up to now); point alerts (a high-reach
post, a new hashtag) look at the 12 hours either side of their moment. "Drivers" compare
the episode with the 7 days before it: a hashtag, word or entity ranks by how many episode
mentions use it, weighted by how much more often than usual (lift, add-one smoothed), so
the topic's everyday vocabulary stays out of the way. Texts are read from a capped sample
(the most recent `SAMPLE` of each period) to keep the page fast in a big crisis.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from voliere.listening.alerts.detectors import (
    BURST_WEEKS,
    HOUR,
    WEEK,
    expected_volume,
    load_series,
    observed_since,
)
from voliere.listening.dashboard.terms import words_of
from voliere.listening.matches import hour_of
from voliere.listening.models import Alert, AlertKind, Mention, Sentiment, TopicMatch

BASELINE = timedelta(days=7)
POINT_SPAN = timedelta(hours=12)
BEFORE = timedelta(hours=24)
AFTER = timedelta(hours=6)
MAX_HOURS = 7 * 24
SAMPLE = 3000
TOP = 10


@dataclass(frozen=True, slots=True)
class Bar:
    hour: datetime
    count: int
    expected: float | None
    in_episode: bool


@dataclass(frozen=True, slots=True)
class Driver:
    label: str
    count: int
    usual: int


@dataclass(frozen=True, slots=True)
class Amplifier:
    handle: str
    network: str
    followers: int
    mentions: int


@dataclass(frozen=True, slots=True)
class Crisis:
    since: datetime
    until: datetime
    bars: list[Bar]
    total: int
    sentiment: list[tuple[str, str, int, float]]  # value, label, count, share
    hashtags: list[Driver]
    terms: list[Driver]
    entities: list[Driver]
    top_posts: list[Mention]
    by_reach: list[Amplifier]
    by_count: list[Amplifier]
    mentions_url: str
    negative_url: str


def episode_span(alert: Alert, now: datetime) -> tuple[datetime, datetime]:
    if alert.kind in (AlertKind.BURST, AlertKind.NEGATIVE):
        since = hour_of(alert.started_at)
        until = alert.ended_at or hour_of(now) + HOUR
    else:
        since, until = alert.started_at - POINT_SPAN, alert.started_at + POINT_SPAN
    return since, max(until, since + HOUR)


def build(alert: Alert, *, now: datetime | None = None) -> Crisis:
    now = now or timezone.now()
    topic = alert.topic
    since, until = episode_span(alert, now)
    matches = TopicMatch.objects.filter(topic=topic, published_at__gte=since,
                                        published_at__lt=until)
    baseline = TopicMatch.objects.filter(topic=topic, published_at__gte=since - BASELINE,
                                         published_at__lt=since)
    episode_rows = _sample(matches)
    usual_rows = _sample(baseline)
    sentiment_counts = dict(matches.values_list("sentiment").annotate(n=Count("id")))
    total = sum(sentiment_counts.values())
    return Crisis(
        since=since, until=until, bars=timeline(topic.pk, since, until, now), total=total,
        sentiment=[
            (value, label, sentiment_counts.get(value, 0),
             sentiment_counts.get(value, 0) / total if total else 0.0)
            for value, label in Sentiment.choices
        ],
        hashtags=drivers(_hashtags(episode_rows), _hashtags(usual_rows)),
        terms=drivers(_words(episode_rows, topic.query), _words(usual_rows, topic.query)),
        entities=drivers(_entities(episode_rows), _entities(usual_rows)),
        top_posts=[m.mention for m in matches.select_related("mention")
                   .order_by("-author_followers", "-published_at")[:TOP]],
        by_reach=_amplifiers(matches, "-followers"),
        by_count=_amplifiers(matches, "-mentions"),
        mentions_url=mentions_link(alert, since, until),
        negative_url=mentions_link(alert, since, until, sentiment=Sentiment.NEGATIVE),
    )


def timeline(topic_id: int, since: datetime, until: datetime, now: datetime) -> list[Bar]:
    """Hourly counts from a day before the episode to six hours after (never past now),
    with each hour's expected count (the burst baseline)."""
    first = hour_of(since - BEFORE)
    last = min(hour_of(until + AFTER - HOUR), hour_of(now))
    if (last - first) / HOUR >= MAX_HOURS:
        first = last - (MAX_HOURS - 1) * HOUR
    series = load_series([topic_id], first - BURST_WEEKS * WEEK, last).get(topic_id, {})
    start = observed_since([topic_id]).get(topic_id)
    bars = []
    hour = first
    while hour <= last:
        counts = series.get(hour)
        expectation = expected_volume(series, hour, start) if start else None
        bars.append(Bar(hour=hour, count=counts.total if counts else 0,
                        expected=expectation.expected if expectation else None,
                        in_episode=since <= hour < until))
        hour += HOUR
    return bars


def drivers(episode: Counter[str], usual: Counter[str], *, limit: int = TOP) -> list[Driver]:
    """Labels used more than usual in the episode, by count × log(lift); at least 2 uses."""
    episode_total = sum(episode.values()) or 1
    usual_total = sum(usual.values()) or 1
    scored = []
    for label, count in episode.items():
        if count < 2:
            continue
        lift = ((count + 1) / (episode_total + 1)) / ((usual[label] + 1) / (usual_total + 1))
        if lift > 1:
            scored.append((count * math.log(lift), label, count))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [Driver(label=label, count=count, usual=usual[label])
            for _, label, count in scored[:limit]]


def mentions_link(alert: Alert, since: datetime, until: datetime, **extra: str) -> str:
    """The dashboard's drill-down list of exactly these mentions."""
    params = {"period": "custom", "topic": alert.topic_id,
              "since": timezone.localtime(since).strftime("%Y-%m-%dT%H:%M"),
              "until": timezone.localtime(until).strftime("%Y-%m-%dT%H:%M"), **extra}
    path = reverse("listening_mentions", kwargs={"org": alert.topic.organisation.handle})
    return f"{path}?{urlencode(params)}"


def _sample(matches) -> list[tuple[str, list, list]]:  # noqa: ANN001 — TopicMatch queryset
    return list(matches.order_by("-published_at").values_list(
        "mention__text", "mention__hashtags", "mention__entities")[:SAMPLE])


def _hashtags(rows: Iterable[tuple[str, list, list]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for _text, tags, _entities in rows:
        counts.update({f"#{str(tag).lower()}" for tag in tags or [] if tag})
    return counts


def _words(rows: Iterable[tuple[str, list, list]], query: str) -> Counter[str]:
    excluded = words_of(query)
    counts: Counter[str] = Counter()
    for text, _tags, _entities in rows:
        counts.update(words_of(text or "") - excluded)
    return counts


def _entities(rows: Iterable[tuple[str, list, list]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for _text, _tags, entities in rows:
        counts.update({str(e.get("text", "")).strip() for e in entities or []
                       if isinstance(e, dict) and str(e.get("text", "")).strip()})
    return counts


def _amplifiers(matches, order: str) -> list[Amplifier]:  # noqa: ANN001 — TopicMatch queryset
    rows = (matches.exclude(mention__author_handle="")
            .values("mention__author_handle", "network")
            .annotate(followers=Max("author_followers"), mentions=Count("id"))
            .order_by(order, "mention__author_handle")[:TOP])
    return [Amplifier(handle=row["mention__author_handle"], network=row["network"],
                      followers=row["followers"], mentions=row["mentions"]) for row in rows]


@dataclass(frozen=True, slots=True)
class ChartBar:
    x: float
    y: float
    width: float
    height: float
    bar: Bar


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: list[ChartBar]
    baseline_points: str  # SVG polyline points of the expected counts
    peak: int


def chart(bars: list[Bar], *, width: int = 720, height: int = 180) -> Chart:
    """Geometry of the server-rendered SVG timeline: one bar per hour, the baseline as a
    line over them, scaled to the highest of both."""
    peak = max([b.count for b in bars] + [math.ceil(b.expected or 0) for b in bars] + [1])
    step = width / max(len(bars), 1)
    scale = (height - 4) / peak
    shapes = []
    points = []
    for index, bar in enumerate(bars):
        bar_height = bar.count * scale
        shapes.append(ChartBar(x=round(index * step, 2), y=round(height - bar_height, 2),
                               width=round(max(step - 1, 1), 2),
                               height=round(bar_height, 2), bar=bar))
        if bar.expected is not None:
            points.append(f"{round(index * step + step / 2, 2)},"
                          f"{round(height - bar.expected * scale, 2)}")
    return Chart(width=width, height=height, bars=shapes, baseline_points=" ".join(points),
                 peak=peak)
