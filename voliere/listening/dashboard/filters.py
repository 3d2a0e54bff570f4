"""The dashboard's filters: read from the query string, validated, and written back into links.

Every panel and the drill-down list take the same `DashboardFilters`, so a bar, an author or
a hashtag links to exactly the mentions it counts (`params(...)` with one more criterion).
Bad input raises `InvalidInput` naming the parameter and saying why (shown as a 400 page
with the filter form, never a 500).

Periods end at the next whole hour (`until`) so that the hourly statistics
(`TopicHourStat`, one row per UTC hour) cover them exactly; custom periods are read in the
current time zone (settings.TIME_ZONE) and rounded outwards to whole hours for the same
reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import BooleanField, F, Func, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from voliere.core.exceptions import InvalidInput
from voliere.listening.models import Sentiment

PERIODS: dict[str, timedelta] = {
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
    "90d": timedelta(days=90),
}
PERIOD_LABELS = {
    "24h": gettext_lazy("Last 24 hours"),
    "7d": gettext_lazy("Last 7 days"),
    "30d": gettext_lazy("Last 30 days"),
    "90d": gettext_lazy("Last 90 days"),
    "custom": gettext_lazy("Custom dates"),
}
DEFAULT_PERIOD = "7d"
MAX_SPAN = timedelta(days=366)
# Up to this span the charts show hours, beyond it days.
HOURLY_UP_TO = timedelta(days=2)

# Network families: `Mention.network` is the family alone ("x", "internal", "bluesky") or
# the family and a qualifier ("mastodon:<host>", "rss:<feed hash>", "csv:<name>").
NETWORKS = {
    "internal": gettext_lazy("This network"),
    "x": gettext_lazy("X (Twitter)"),
    "bluesky": gettext_lazy("Bluesky"),
    "mastodon": gettext_lazy("Mastodon"),
    "rss": gettext_lazy("RSS / Atom"),
    "csv": gettext_lazy("CSV import"),
}
_LANG_RE = re.compile(r"^[a-z]{2,3}$|^und$")
_HANDLE_MAX = 255
_TERM_MAX = 100
_HOUR = timedelta(hours=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class DashboardFilters:
    """A validated filter set. `since` is inclusive, `until` exclusive, both whole UTC-aligned
    hours. `lang` "und" means "language undetermined" (stored as "")."""

    period: str
    since: datetime
    until: datetime
    network: str = ""
    lang: str = ""
    sentiment: str = ""
    topic_id: int | None = None
    side: str = ""  # "brand" (every non-competitor topic) or "competitor"
    author: str = ""
    hashtag: str = ""
    term: str = ""

    @property
    def span(self) -> timedelta:
        return self.until - self.since

    @property
    def bucket(self) -> str:
        """"hour" or "day": the width of a chart bar."""
        return "hour" if self.span <= HOURLY_UP_TO else "day"

    @property
    def previous(self) -> tuple[datetime, datetime]:
        """The period of the same length just before, for "change vs previous period"."""
        return self.since - self.span, self.since

    @property
    def needs_mention_fields(self) -> bool:
        """True when a criterion is not in `TopicHourStat` (which only knows topic, hour and
        sentiment): the panels must then count `TopicMatch` rows instead."""
        return bool(self.network or self.lang or self.author or self.hashtag or self.term)

    @property
    def needs_mention_join(self) -> bool:
        """True when a criterion is only on `Mention` (not denormalized on `TopicMatch`)."""
        return bool(self.author or self.hashtag or self.term)

    def match_q(self) -> Q:
        """The period and the criteria as a Q over `TopicMatch`. The topic scope is not in
        it: callers pass the organisation's topic ids chosen by `scope_topic_ids`."""
        q = Q(published_at__gte=self.since, published_at__lt=self.until)
        if self.network:
            q &= Q(network=self.network) | Q(network__startswith=f"{self.network}:")
        if self.lang:
            q &= Q(lang="" if self.lang == "und" else self.lang)
        if self.sentiment:
            q &= Q(sentiment=self.sentiment)
        if self.author:
            q &= Q(mention__author_handle=self.author)
        if self.hashtag:
            q &= hashtag_q("mention__hashtags", self.hashtag)
        if self.term:
            q &= Q(mention__text__icontains=self.term)
        return q

    def with_(self, **changes: Any) -> DashboardFilters:
        return replace(self, **changes)

    def params(self, **changes: Any) -> str:
        """The query string (without "?") that reproduces these filters, with `changes`
        applied: `params(sentiment="negative")`, `params(since=…, until=…)` for a bar."""
        values: dict[str, Any] = {
            "period": self.period, "network": self.network, "lang": self.lang,
            "sentiment": self.sentiment, "topic": self.topic_id or "", "side": self.side,
            "author": self.author,
            "hashtag": self.hashtag, "term": self.term,
        }
        if self.period == "custom":
            values["since"] = _format_moment(self.since)
            values["until"] = _format_moment(self.until)
        for name, value in changes.items():
            if name in ("since", "until"):
                values["period"] = "custom"
                values.setdefault("since", _format_moment(self.since))
                values.setdefault("until", _format_moment(self.until))
                value = _format_moment(value)
            values["topic" if name == "topic_id" else name] = value
        return urlencode({name: value for name, value in values.items() if value not in ("", None)})

    @property
    def since_local(self) -> datetime:
        return timezone.localtime(self.since)

    @property
    def until_local(self) -> datetime:
        return timezone.localtime(self.until)


class JSONListHas(Func):
    """`field` (a JSON list of strings) holds `value`: jsonb containment on PostgreSQL,
    `json_each` on SQLite (whose JSON text escapes non-ASCII, so a LIKE would miss "été")."""

    arity = 2
    output_field = BooleanField()

    def _parts(self, compiler: Any, connection: Any) -> tuple[str, str, list[Any]]:
        field_sql, field_params = compiler.compile(self.source_expressions[0])
        value_sql, value_params = compiler.compile(self.source_expressions[1])
        return field_sql, value_sql, [*field_params, *value_params]

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        field_sql, value_sql, params = self._parts(compiler, connection)
        # Both fragments are compiled expressions; the values travel in `params`.
        sql = f"EXISTS (SELECT 1 FROM json_each({field_sql}) AS tags WHERE tags.value = {value_sql})"  # noqa: S608, E501
        return sql, params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any
                      ) -> tuple[str, list[Any]]:
        field_sql, value_sql, params = self._parts(compiler, connection)
        return f"({field_sql} @> jsonb_build_array(({value_sql})::text))", params


def hashtag_q(field: str, tag: str) -> Q:
    """Rows whose `field` (a `hashtags` JSON list: lower-cased, without "#") holds `tag`."""
    return Q(JSONListHas(F(field), Value(tag)))


def _format_moment(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _ceil_hour(moment: datetime) -> datetime:
    floor = moment.replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + _HOUR


def _floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _read_moment(params: Mapping[str, str], name: str, *, end: bool) -> datetime:
    """`YYYY-MM-DD` (a whole local day: its start, or for an end the start of the next
    day) or `YYYY-MM-DDTHH:MM` (local time)."""
    raw = (params.get(name) or "").strip()
    if not raw:
        raise InvalidInput(
            _("%(name)s is required for custom dates (YYYY-MM-DD).") % {"name": name}, field=name
        )
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            moment = datetime.combine(day + timedelta(days=1) if end else day, time())
        else:
            moment = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            _("%(name)s must be a date like 2026-03-31 or 2026-03-31T14:00, got “%(value)s”.")
            % {"name": name, "value": raw[:40]},
            field=name,
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _choice(params: Mapping[str, str], name: str, allowed: Iterable[str]) -> str:
    raw = (params.get(name) or "").strip()
    if raw and raw not in allowed:
        raise InvalidInput(
            _("%(name)s must be one of: %(allowed)s (got “%(value)s”).")
            % {"name": name, "allowed": ", ".join(allowed), "value": raw[:40]},
            field=name,
        )
    return raw


def parse_filters(
    params: Mapping[str, str], *, topic_ids: Iterable[int], now: datetime | None = None
) -> DashboardFilters:
    """Validate the query string. `topic_ids` are the organisation's topics (a `topic`
    outside them is refused like a missing one)."""
    now = now or timezone.now()
    for name, value in params.items():
        if any(ord(character) < 32 for character in str(value)):
            raise InvalidInput(_("%(name)s contains a control character.") % {"name": name},
                               field=name)
    period = _choice(params, "period", [*PERIODS, "custom"]) or DEFAULT_PERIOD
    if period == "custom":
        since = _floor_hour(_read_moment(params, "since", end=False))
        until = _ceil_hour(_read_moment(params, "until", end=True))
        if until <= since:
            raise InvalidInput(_("until must be after since."), field="until")
        if until - since > MAX_SPAN:
            raise InvalidInput(
                _("The period may span at most %(days)d days.") % {"days": MAX_SPAN.days},
                field="since",
            )
    else:
        until = _ceil_hour(now)
        since = until - PERIODS[period]
    lang = (params.get("lang") or "").strip().lower()
    if lang and not _LANG_RE.match(lang):
        raise InvalidInput(
            _("lang must be a language code such as fr or en, or und (got “%(value)s”).")
            % {"value": lang[:40]},
            field="lang",
        )
    topic_id: int | None = None
    raw_topic = (params.get("topic") or "").strip()
    if raw_topic:
        if not (raw_topic.isascii() and raw_topic.isdigit()) or int(raw_topic) not in set(
            topic_ids
        ):
            raise InvalidInput(
                _("topic: no such topic (“%(value)s”).") % {"value": raw_topic[:40]},
                field="topic",
            )
        topic_id = int(raw_topic)
    side = _choice(params, "side", ["brand", "competitor"])
    author = (params.get("author") or "").strip().lstrip("@")[:_HANDLE_MAX]
    hashtag = (params.get("hashtag") or "").strip().lstrip("#").lower()
    if hashtag and not re.fullmatch(r"\w{1,100}", hashtag):
        raise InvalidInput(
            _("hashtag must be letters, digits or underscores (got “%(value)s”).")
            % {"value": hashtag[:40]},
            field="hashtag",
        )
    term = (params.get("term") or "").strip()
    if len(term) > _TERM_MAX:
        raise InvalidInput(
            _("term may be at most %(n)d characters.") % {"n": _TERM_MAX}, field="term"
        )
    return DashboardFilters(
        period=period, since=since, until=until,
        network=_choice(params, "network", NETWORKS),
        lang=lang,
        sentiment=_choice(params, "sentiment", Sentiment.values),
        topic_id=topic_id, side=side, author=author, hashtag=hashtag, term=term,
    )


def page_marker(moment: datetime, mention_id: int) -> str:
    """The `before` value after a mention: "<published_at in µs since the epoch>-<id>"."""
    return f"{(moment - EPOCH) // MICROSECOND}-{mention_id}"


def parse_before(raw: str) -> tuple[datetime, int] | None:
    """Read a `page_marker` (None when absent); InvalidInput when it is not one."""
    if not raw:
        return None
    stamp, _sep, mention_id = raw.partition("-")
    if not (stamp.isascii() and stamp.isdigit() and mention_id.isascii()
            and mention_id.isdigit() and len(stamp) < 20 and len(mention_id) < 20):
        raise InvalidInput(_("before must be a page marker from a “More” link."), field="before")
    try:
        moment = EPOCH + int(stamp) * MICROSECOND
    except OverflowError:
        raise InvalidInput(_("before is out of range."), field="before") from None
    return moment, int(mention_id)
