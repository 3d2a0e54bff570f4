"""The listening dashboard: all topics (`listening_dashboard`), one topic
(`listening_topic_dashboard`) and the drill-down list of mentions (`listening_mentions`).

Every page reads the same filters from the query string; invalid ones give the page back
with the filter form and the error, status 400. The organisation comes from
`listening_view` and every read is scoped to its topic ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput
from voliere.listening.access import access_topic, listening_view
from voliere.listening.dashboard import queries
from voliere.listening.dashboard.charts import bucket_label, sentiment_chart, volume_chart
from voliere.listening.dashboard.filters import (
    NETWORKS,
    PERIOD_LABELS,
    DashboardFilters,
    parse_before,
    parse_filters,
)
from voliere.listening.models import Sentiment, Topic

LANGUAGES = ("fr", "en", "de", "es", "it", "nl", "pt", "und")
MENTIONS_PAGE = 25


@listening_view
def dashboard(request: HttpRequest) -> HttpResponse:
    return _dashboard_page(request, topic=None)


@listening_view
def topic_dashboard(request: HttpRequest, topic_id: int) -> HttpResponse:
    return _dashboard_page(request, topic=access_topic(request.organisation, topic_id))


@listening_view
def mentions(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    topics = queries.dashboard_topics(organisation)
    context = _base_context(request, topics, topic=None)
    try:
        filters = _read_filters(request, topics)
        before = parse_before(request.GET.get("before", ""))
    except InvalidInput as error:
        return _invalid(request, "listening/dashboard/mentions.html", context, error)
    page = queries.mentions_page(
        queries.drilldown_mentions(organisation, queries.scope_topic_ids(topics, filters),
                                   filters),
        before=before, size=MENTIONS_PAGE)
    context.update(filters=filters, mentions=page.mentions, next_before=page.next_before,
                   chips=_chips(filters, topics))
    return render(request, "listening/dashboard/mentions.html", context)


def _dashboard_page(request: HttpRequest, *, topic: Topic | None) -> HttpResponse:
    organisation = request.organisation
    topics = queries.dashboard_topics(organisation)
    context = _base_context(request, topics, topic=topic)
    template = "listening/dashboard/overview.html" if topic is None else \
        "listening/dashboard/topic.html"
    if not topics:
        return render(request, template, context)
    try:
        filters = _read_filters(request, topics)
    except InvalidInput as error:
        return _invalid(request, template, context, error)
    chips = _chips(filters, topics)
    if topic is not None:
        filters = filters.with_(topic_id=topic.id, side="")
        chips = _chips(filters.with_(topic_id=None), topics)
    scope = queries.scope_topic_ids(topics, filters)
    volumes = queries.topic_volumes(topics, filters.with_(topic_id=None, side=""))
    series = queries.volume_series(scope, filters)
    drill = _drill(request, filters)
    handle = organisation.handle
    context.update(
        filters=filters,
        chips=chips,
        cards=[
            (v, reverse("listening_topic_dashboard", kwargs={"org": handle,
                                                            "topic_id": v.topic.id})
             + f"?{filters.params(topic_id='', side='')}",
             drill(topic_id=v.topic.id, side=""))
            for v in volumes
        ],
        voice=[
            (row, drill(topic_id=row.topic_id, side="") if row.topic_id
             else drill(topic_id="", side="brand"))
            for row in queries.share_of_voice(volumes, brand_label=_("Us (brand topics)"))
        ],
        panels=_panels(topics, scope, filters, series, drill),
    )
    return render(request, template, context)


@dataclass
class _Row:
    """One row of a chart's data table."""

    label: str
    counts: list[int]
    total: int
    href: str


def _drill(request: HttpRequest, filters: DashboardFilters) -> Callable[..., str]:
    """Links to the drill-down list: these filters with `changes` applied."""
    mentions_url = reverse("listening_mentions", kwargs={"org": request.organisation.handle})

    def drill(**changes: Any) -> str:
        return f"{mentions_url}?{filters.params(**changes)}"

    return drill


def _panels(topics: list[Topic], scope: list[int], filters: DashboardFilters,
            series: queries.Series, drill: Callable[..., str]) -> dict[str, Any]:
    def bar_link(bucket: queries.Bucket, sentiment: str = "") -> str:
        changes: dict[str, Any] = {"since": bucket.start, "until": bucket.end}
        if sentiment:
            changes["sentiment"] = sentiment
        return drill(**changes)

    window_since = queries.recent_window(series, filters)
    recent = filters.with_(since=window_since)
    sample = queries.sample_counts(topics, scope, recent)
    return {
        "window_since": window_since if window_since > filters.since else None,
        "window": queries.WINDOW,
        "series": series,
        "volume_chart": volume_chart(series, link=bar_link),
        "sentiment_chart": sentiment_chart(series, link=bar_link),
        "table": [
            _Row(bucket_label(b, series.bucket, long=True),
                 [b.counts[s] for s in queries.SENTIMENTS], b.total, bar_link(b))
            for b in series.buckets
        ],
        "authors": [(a, drill(author=a.handle, network=a.network.split(":")[0]))
                    for a in queries.top_authors(scope, recent)],
        "hashtags": [(tag, n, drill(hashtag=tag)) for tag, n in sample.hashtags],
        "terms": [(term, n, drill(term=term)) for term, n in sample.terms],
        "sample": sample,
        "posts": queries.top_posts(scope, recent),
        "all_url": drill(),
    }


def _base_context(request: HttpRequest, topics: list[Topic], *, topic: Topic | None
                  ) -> dict[str, Any]:
    return {
        "nav": "listening", "tab": "dashboard", "organisation": request.organisation,
        "topics": topics, "topic": topic, "filters": None,
        "periods": list(PERIOD_LABELS.items()), "networks": list(NETWORKS.items()),
        "languages": LANGUAGES, "sentiments": Sentiment.choices,
        "time_zone": timezone.get_current_timezone_name(),
        "form_values": request.GET,
        "hidden_filters": [(name, request.GET[name]) for name in ("side", "author", "hashtag",
                                                                  "term") if request.GET.get(name)],
    }


def _read_filters(request: HttpRequest, topics: list[Topic]) -> DashboardFilters:
    return parse_filters(request.GET, topic_ids=[t.id for t in topics])


def _invalid(request: HttpRequest, template: str, context: dict[str, Any],
             error: InvalidInput) -> HttpResponse:
    context.update(filter_error=error)
    return render(request, template, context, status=400)


def _chips(filters: DashboardFilters, topics: list[Topic]) -> list[tuple[str, str]]:
    """The drill-down criteria in force, each with the query string that removes it."""
    names = {t.id: t.name for t in topics}
    chips = []
    if filters.topic_id is not None and filters.topic_id in names:
        chips.append((_("Topic: %s") % names[filters.topic_id], filters.params(topic_id="")))
    if filters.side:
        label = _("Brand topics") if filters.side == "brand" else _("Competitor topics")
        chips.append((label, filters.params(side="")))
    if filters.author:
        chips.append((_("Author: @%s") % filters.author, filters.params(author="")))
    if filters.hashtag:
        chips.append((_("Hashtag: #%s") % filters.hashtag, filters.params(hashtag="")))
    if filters.term:
        chips.append((_("Term: “%s”") % filters.term, filters.params(term="")))
    return chips
