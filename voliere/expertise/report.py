"""Time to answer: routed questions against the others, per week or month.

For each period (by the question's creation date, in the server's time zone): how many
questions were asked, how many got an answer and an accepted answer, and the median and
90th percentile of the time from the question to its first answer
(`Thread.first_answer_at`) and to its accepted answer (`Thread.accepted_at`) — separately
for questions routed to experts (`RoutedQuestion`) and for the others. This is the
"ten days down to one hour" of PRODUCT.md story 12, measured.

Only questions the viewer may read are counted, so the figures never reveal activity in a
secret community they are not in. One query: the threads of the last `periods` periods
with their three timestamps and whether they were routed; the statistics are computed in
Python (a few thousand rows a year on a busy instance).
"""

from __future__ import annotations

import datetime
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.models import Account
from voliere.core.exceptions import InvalidInput
from voliere.expertise.models import RoutedQuestion
from voliere.knowledge.access import visible_threads

PERIODS = ("week", "month")
DEFAULT_PERIODS = {"week": 12, "month": 12}


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (`share` in 0–1) of `values`; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Durations:
    """Figures for one group of questions. Times are `timedelta`s (None: no data)."""

    asked: int = 0
    first_answers: list[float] = field(default_factory=list, repr=False)
    acceptances: list[float] = field(default_factory=list, repr=False)

    def add(
        self,
        created: datetime.datetime,
        first: datetime.datetime | None,
        accepted: datetime.datetime | None,
    ) -> None:
        self.asked += 1
        if first is not None:
            self.first_answers.append(max((first - created).total_seconds(), 0.0))
        if accepted is not None:
            self.acceptances.append(max((accepted - created).total_seconds(), 0.0))

    @property
    def answered(self) -> int:
        return len(self.first_answers)

    @property
    def accepted(self) -> int:
        return len(self.acceptances)

    def _time(self, values: list[float], share: float | None) -> datetime.timedelta | None:
        if not values:
            return None
        seconds = statistics.median(values) if share is None else percentile(values, share)
        return datetime.timedelta(seconds=seconds)

    @property
    def median_first(self) -> datetime.timedelta | None:
        return self._time(self.first_answers, None)

    @property
    def p90_first(self) -> datetime.timedelta | None:
        return self._time(self.first_answers, 0.9)

    @property
    def median_accepted(self) -> datetime.timedelta | None:
        return self._time(self.acceptances, None)

    @property
    def p90_accepted(self) -> datetime.timedelta | None:
        return self._time(self.acceptances, 0.9)


@dataclass
class PeriodRow:
    start: datetime.date
    routed: Durations
    others: Durations


@dataclass
class Report:
    period: str
    since: datetime.date
    rows: list[PeriodRow]  # newest period first
    routed: Durations  # every period together
    others: Durations


def clean_period(raw: str | None) -> str:
    period = (raw or "month").strip().lower()
    if period not in PERIODS:
        raise InvalidInput(
            _("The period must be “week” or “month” (not “%(value)s”).") % {"value": raw},
            field="period",
        )
    return period


def period_start(moment: datetime.datetime, period: str) -> datetime.date:
    day = timezone.localtime(moment).date()
    if period == "week":
        return day - datetime.timedelta(days=day.weekday())
    return day.replace(day=1)


def _earliest(now: datetime.datetime, period: str, count: int) -> datetime.date:
    start = period_start(now, period)
    if period == "week":
        return start - datetime.timedelta(weeks=count - 1)
    months = start.year * 12 + start.month - 1 - (count - 1)
    return datetime.date(months // 12, months % 12 + 1, 1)


def time_to_answer_report(
    viewer: Account | None,
    *,
    period: str = "month",
    periods: int | None = None,
    now: datetime.datetime | None = None,
) -> Report:
    """The report over the last `periods` weeks or months (the current one included)."""
    period = clean_period(period)
    count = max(1, min(periods or DEFAULT_PERIODS[period], 52))
    now = now or timezone.now()
    since = _earliest(now, period, count)
    since_moment = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    rows = (
        visible_threads(viewer)
        .filter(created_at__gte=since_moment)
        .annotate(routed=Exists(RoutedQuestion.objects.filter(thread=OuterRef("pk"))))
        .values_list("created_at", "first_answer_at", "accepted_at", "routed")
    )
    by_period: dict[datetime.date, PeriodRow] = {}
    totals: dict[bool, Durations] = defaultdict(Durations)
    for created, first, accepted, routed in rows:
        start = period_start(created, period)
        row = by_period.setdefault(start, PeriodRow(start, Durations(), Durations()))
        (row.routed if routed else row.others).add(created, first, accepted)
        totals[routed].add(created, first, accepted)
    return Report(
        period=period,
        since=since,
        rows=sorted(by_period.values(), key=lambda r: r.start, reverse=True),
        routed=totals[True],
        others=totals[False],
    )
