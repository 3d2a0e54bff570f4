"""Reading the inbox: the filtered queue and the time-to-first-response figures.

The queue of open items is oldest first (the one waiting longest is the most urgent);
answered and closed items are newest first. Pages are cut on the item id (ids grow with
routing time), so an item routed while someone reads neither shifts nor repeats a page.
A page costs a constant number of queries whatever its size: the items with their mention,
source, assignee and reply post in one query, then this organisation's topics matched by
the page's mentions in one more.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from voliere.accounts.models import Account, User
from voliere.core.exceptions import InvalidInput
from voliere.listening.links import http_url
from voliere.listening.models import InboxItem, InboxReason, InboxState, Topic, TopicMatch

PAGE_SIZE = 25
TTFR_DAYS = 30
OPEN_STATES = (InboxState.NEW, InboxState.ASSIGNED)

# The queue's state filter: value → label (the default, "open", is the working queue).
STATE_FILTERS = {
    "open": gettext_lazy("Open"),
    "new": gettext_lazy("New"),
    "mine": gettext_lazy("Assigned to me"),
    "assigned": gettext_lazy("Assigned"),
    "answered": gettext_lazy("Answered"),
    "closed": pgettext_lazy("inbox item state", "Closed"),
    "all": gettext_lazy("All"),
}


@dataclass(frozen=True, slots=True)
class InboxFilters:
    state: str = "open"
    reason: str = ""
    topic: Topic | None = None
    network: str = ""
    after: int | None = None  # the last item id of the previous page

    @property
    def oldest_first(self) -> bool:
        return self.state in ("open", "new", "mine", "assigned")

    def as_params(self) -> dict[str, str]:
        """The query string of these filters (without the page position)."""
        params = {"state": self.state, "reason": self.reason, "network": self.network,
                  "topic": str(self.topic.pk) if self.topic else ""}
        return {key: value for key, value in params.items() if value}


def read_filters(organisation: Account, params: Mapping[str, str]) -> InboxFilters:
    """Filters from a query string; raises InvalidInput naming the parameter at fault."""
    state = params.get("state") or "open"
    if state not in STATE_FILTERS:
        raise InvalidInput(_("Unknown state filter “%(value)s”.") % {"value": state},
                           field="state")
    reason = params.get("reason") or ""
    if reason and reason not in InboxReason.values:
        raise InvalidInput(_("Unknown reason “%(value)s”.") % {"value": reason}, field="reason")
    topic = None
    if params.get("topic"):
        raw = params["topic"]
        topic = (Topic.objects.filter(organisation=organisation, pk=int(raw)).first()
                 if raw.isascii() and raw.isdigit() and len(raw) < 19 else None)
        if topic is None:
            raise InvalidInput(_("No such topic."), field="topic")
    after = params.get("after") or None
    if after is not None:
        if not (after.isascii() and after.isdigit() and len(after) < 19):
            raise InvalidInput(_("after must be an item id."), field="after")
        after = int(after)
    network = (params.get("network") or "").strip()[:80]
    if "\x00" in network:  # PostgreSQL refuses NUL in text: a 400, not a 500
        raise InvalidInput(_("Unknown network."), field="network")
    return InboxFilters(state=state, reason=reason, topic=topic, network=network, after=after)


def inbox_queryset(organisation: Account, viewer: User, filters: InboxFilters) -> QuerySet:
    items = InboxItem.objects.filter(organisation=organisation)
    state = filters.state
    if state == "open":
        items = items.filter(state__in=OPEN_STATES)
    elif state == "mine":
        items = items.filter(state__in=OPEN_STATES, assignee=viewer)
    elif state != "all":
        items = items.filter(state=state)
    if filters.reason:
        items = items.filter(reason=filters.reason)
    if filters.network:
        items = items.filter(mention__network=filters.network)
    if filters.topic is not None:
        items = items.filter(mention__matches__topic=filters.topic)
    return items


def for_display(items: QuerySet, organisation: Account) -> QuerySet:
    """Everything an item card shows, in two queries for any number of items."""
    return items.select_related(
        "mention__source", "mention__post__author", "assignee__account", "responded_by__account",
        "reply_post",
    ).prefetch_related(
        Prefetch(
            "mention__matches",
            queryset=TopicMatch.objects.filter(topic__organisation=organisation)
            .select_related("topic").order_by("topic__name"),
            to_attr="own_matches",
        )
    )


def decorate(items: list[InboxItem]) -> list[InboxItem]:
    """Set what the card shows beside the fields: `waiting` (open items: since routed),
    `response_time` (answered ones), `original_url` and `author_link` (safe links) and
    `topics` (this organisation's topics that matched, from `for_display`)."""
    now = timezone.now()
    for item in items:
        mention = item.mention
        item.waiting = short_duration(now - item.created_at) if item.state in OPEN_STATES else ""
        item.response_time = (short_duration(item.first_response_at - item.created_at)
                              if item.first_response_at else "")
        if mention.post_id is not None:
            item.original_url = mention.post.get_absolute_url()
            item.author_link = reverse("profile", args=[mention.post.author.handle])
        else:
            item.original_url = http_url(mention.url)
            item.author_link = http_url(mention.author_url)
        item.topics = [match.topic for match in getattr(mention, "own_matches", [])]
    return items


@dataclass(frozen=True, slots=True)
class InboxPage:
    items: list[InboxItem]
    next_after: int | None  # pass as `after` for the next page; None at the end


def inbox_page(organisation: Account, viewer: User, filters: InboxFilters) -> InboxPage:
    items = inbox_queryset(organisation, viewer, filters)
    if filters.after is not None:
        items = items.filter(pk__gt=filters.after) if filters.oldest_first else items.filter(
            pk__lt=filters.after)
    ordered = items.order_by("pk" if filters.oldest_first else "-pk")
    rows = list(for_display(ordered, organisation)[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = decorate(rows[:PAGE_SIZE])
    return InboxPage(items=rows, next_after=rows[-1].pk if more else None)


def networks_of(organisation: Account) -> list[str]:
    """The networks the organisation's inbox has items from (the network filter's options)."""
    return list(
        InboxItem.objects.filter(organisation=organisation)
        .values_list("mention__network", flat=True).distinct().order_by("mention__network")
    )


@dataclass(frozen=True, slots=True)
class ResponseTimes:
    """Time to first response of the items routed in the last `days` days (answered ones:
    median and 90th percentile; None when none was answered), and the open queue now."""

    days: int
    routed: int
    answered: int
    median: timedelta | None
    p90: timedelta | None
    open_count: int
    oldest_open_since: datetime | None

    @property
    def oldest_waiting(self) -> timedelta | None:
        if self.oldest_open_since is None:
            return None
        return timezone.now() - self.oldest_open_since

    def shown(self) -> dict[str, str]:
        """The durations as the page prints them ("3 h"; "—" when there is none)."""
        return {"median": short_duration(self.median), "p90": short_duration(self.p90),
                "oldest_waiting": short_duration(self.oldest_waiting)}


def response_times(organisation: Account, *, days: int = TTFR_DAYS) -> ResponseTimes:
    """Two queries: the last `days` days' (created, first response) pairs, and the open
    queue's size and oldest item."""
    since = timezone.now() - timedelta(days=days)
    pairs = list(
        InboxItem.objects.filter(organisation=organisation, created_at__gte=since)
        .values_list("created_at", "first_response_at")
    )
    waits = sorted(
        max((first - created).total_seconds(), 0.0) for created, first in pairs if first
    )
    queue = InboxItem.objects.filter(organisation=organisation).aggregate(
        open_count=Count("pk", filter=Q(state__in=OPEN_STATES)),
        oldest=Min("created_at", filter=Q(state__in=OPEN_STATES)),
    )
    return ResponseTimes(
        days=days, routed=len(pairs), answered=len(waits),
        median=timedelta(seconds=statistics.median(waits)) if waits else None,
        p90=timedelta(seconds=nearest_rank(waits, 0.9)) if waits else None,
        open_count=queue["open_count"], oldest_open_since=queue["oldest"],
    )


def nearest_rank(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted, non-empty `ordered` (`share` in 0–1): a
    value that really occurred, at least `share` of the values being at or below it."""
    rank = max(1, -(-int(share * 1000) * len(ordered) // 1000))
    return ordered[rank - 1]


def short_duration(delta: timedelta | None) -> str:
    """"12 min", "3 h", "2 d" — the one unit that matters for a waiting time."""
    if delta is None:
        return "—"
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return ngettext("%(n)d min", "%(n)d min", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)d h", "%(n)d h", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
