"""Charts drawn on the server as SVG geometry: no JavaScript, no chart library to vendor.

A chart is a list of rectangles (each with a tooltip and a drill-down link) plus a few axis
labels, computed here and written out by `listening/dashboard/_chart.html`, which escapes
every text. Each chart is followed on the page by a `<table>` of the same numbers (inside
`<details>`), so screen readers and people without CSS or SVG read the data as a table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from voliere.listening.dashboard.queries import SENTIMENTS, Bucket, Series
from voliere.listening.models import Sentiment

WIDTH = 720
HEIGHT = 220
LEFT = 44  # room for the y-axis labels
BOTTOM = 24  # room for the x-axis labels
TOP = 8
PLOT_WIDTH = WIDTH - LEFT - 4
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
MAX_X_LABELS = 8


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str  # CSS class: the fill colour
    title: str  # the tooltip: what this rectangle counts
    href: str  # the drill-down to the mentions it counts


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    y: float
    text: str


@dataclass
class Chart:
    caption: str
    bars: list[Bar] = field(default_factory=list)
    x_labels: list[Label] = field(default_factory=list)
    y_labels: list[Label] = field(default_factory=list)
    grid: list[float] = field(default_factory=list)  # y of the horizontal grid lines
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_bottom: float = TOP + PLOT_HEIGHT


def bucket_label(bucket: Bucket, unit: str, *, long: bool = False) -> str:
    """A bar's name in local time: "14:00" or "12 Mar"; `long` adds the date to hours."""
    start = timezone.localtime(bucket.start)
    if unit == "day":
        return date_format(start, "j M" if not long else "D j M Y")
    if long:
        return f"{date_format(start, 'j M')} {start:%H:%M}–{timezone.localtime(bucket.end):%H:%M}"
    return f"{start:%H:%M}"


def _nice_ceiling(value: int) -> int:
    """The smallest 1/2/5×10ⁿ at least `value` (axis maximum), at least 1."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _frame(chart: Chart, series: Series, y_max: int, *, percent: bool) -> float:
    """Axis labels and grid lines; returns the width of one bar slot."""
    slot = PLOT_WIDTH / max(len(series.buckets), 1)
    every = max(1, -(-len(series.buckets) // MAX_X_LABELS))
    for index, bucket in enumerate(series.buckets):
        if index % every == 0:
            chart.x_labels.append(Label(x=LEFT + index * slot + slot / 2, y=HEIGHT - 6,
                                        text=bucket_label(bucket, series.bucket)))
    for fraction in (0, 0.5, 1):
        y = TOP + PLOT_HEIGHT * (1 - fraction)
        chart.grid.append(y)
        value = round(y_max * fraction)
        chart.y_labels.append(Label(x=LEFT - 6, y=y + 4,
                                    text=f"{value} %" if percent else f"{value}"))
    return slot


def volume_chart(series: Series, *, link: Callable[[Bucket], str]) -> Chart:
    """One bar per hour or day, its height the number of matches."""
    chart = Chart(caption=_("Matches per hour") if series.bucket == "hour"
                  else _("Matches per day"))
    y_max = _nice_ceiling(series.peak)
    slot = _frame(chart, series, y_max, percent=False)
    for index, bucket in enumerate(series.buckets):
        if not bucket.total:
            continue
        height = PLOT_HEIGHT * bucket.total / y_max
        chart.bars.append(Bar(
            x=LEFT + index * slot + slot * 0.1, y=TOP + PLOT_HEIGHT - height,
            width=slot * 0.8, height=height, css="bar-volume", href=link(bucket),
            title=_("%(when)s: %(count)d matches") % {
                "when": bucket_label(bucket, series.bucket, long=True), "count": bucket.total},
        ))
    return chart


def sentiment_chart(series: Series, *, link: Callable[[Bucket, str], str]) -> Chart:
    """One 100 % bar per hour or day, stacked negative (bottom), neutral, positive (top)."""
    chart = Chart(caption=_("Sentiment share per hour") if series.bucket == "hour"
                  else _("Sentiment share per day"))
    slot = _frame(chart, series, 100, percent=True)
    labels = dict(Sentiment.choices)
    for index, bucket in enumerate(series.buckets):
        bottom = TOP + PLOT_HEIGHT
        for sentiment in SENTIMENTS:
            share = bucket.share(sentiment)
            if not share:
                continue
            height = PLOT_HEIGHT * share / 100
            bottom -= height
            chart.bars.append(Bar(
                x=LEFT + index * slot + slot * 0.1, y=bottom, width=slot * 0.8, height=height,
                css=f"bar-{sentiment}", href=link(bucket, sentiment),
                title=_("%(when)s: %(label)s %(share).0f %% (%(count)d)") % {
                    "when": bucket_label(bucket, series.bucket, long=True),
                    "label": labels[sentiment], "share": share,
                    "count": bucket.counts[sentiment]},
            ))
    return chart
