"""Who receives which event: the permission check at delivery time.

`plan_deliveries(events, listeners)` runs in a server process's dispatcher, once per
batch of new event-log rows, for every connection of that process. Rules:

- `update` / `status.update`: to `user` (and the web's home hints) when the post belongs
  in the viewer's home timeline by the fan-out rules of `voliere.timelines.fanout` (the
  author; direct posts: mentioned accounts; otherwise followers, and a reply to someone
  else only to those who follow both; a repost skips homes that already hold the
  original); to `public`/`public:local` and the `hashtag` streams of its tags for what
  the API's public and tag timelines show (public and internal posts, no reposts).
  Then, for every candidate viewer, `Post.objects.visible_to(viewer)` must still show the
  post — one UNION query per event for up to `VISIBILITY_BATCH` viewers, not one per
  connection — and the viewer must not mute its author (or the reposted author).
- `delete`: to the streams that could have shown the post (from the hints copied when it
  was published); the payload is the id alone.
- `notification`: to the recipient's `user` and `user:notification` streams, if
  `visible_notifications` still shows it (block, mute, deleted post).

Everything here is synchronous ORM code: the dispatcher runs it in its database thread.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BigIntegerField, Value

from voliere.accounts.models import Account, Follow, Mute
from voliere.posts.models import Post, Visibility
from voliere.streaming import payloads
from voliere.streaming.models import EventKind, StreamEvent
from voliere.streaming.streams import (
    HASHTAG_STREAMS,
    PUBLIC_STREAMS,
    USER,
    USER_NOTIFICATION,
    WEB,
    Subscription,
)
from voliere.timelines.models import TimelineEntry

VISIBILITY_BATCH = 100  # SQLite allows 500 terms in a compound SELECT


@dataclass(frozen=True)
class Listener:
    """What the dispatcher knows of one open connection, copied for the database thread."""

    key: int
    viewer_id: int
    subscriptions: frozenset[Subscription]
    origin: str = "http://localhost"  # scheme://host the client used, for absolute URLs


@dataclass(frozen=True)
class Message:
    """One event for one connection: `payload` is already a string (JSON for statuses and
    notifications, the bare id for `delete`), `stream` the subscription's label."""

    event: str
    payload: str
    stream: tuple[str, ...] = ()


@dataclass
class _Candidates:
    """(listener, subscription) pairs an event may go to, grouped by viewer."""

    by_viewer: dict[int, list[tuple[Listener, Subscription]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, listener: Listener, subscription: Subscription) -> None:
        self.by_viewer[listener.viewer_id].append((listener, subscription))


def plan_deliveries(
    events: Iterable[StreamEvent], listeners: list[Listener]
) -> dict[int, list[Message]]:
    """Messages per listener key, in event order."""
    out: dict[int, list[Message]] = defaultdict(list)
    if not listeners:
        return out
    viewers = Account.objects.in_bulk({listener.viewer_id for listener in listeners})
    for event in events:
        if event.kind == EventKind.NOTIFICATION:
            _plan_notification(event, listeners, viewers, out)
        elif event.kind == EventKind.DELETE:
            _plan_delete(event, listeners, out)
        elif event.kind in (EventKind.UPDATE, EventKind.STATUS_UPDATE):
            _plan_post(event, listeners, viewers, out)
    return out


def _label(subscription: Subscription) -> tuple[str, ...]:
    return tuple(subscription.label())


# -- posts -------------------------------------------------------------------------------


def _broadcastable(event: StreamEvent) -> bool:
    """Shown on public and hashtag streams: what the API's public and tag timelines show,
    public and internal posts, reposts left out (members only see internal ones: every
    streaming viewer is a member, and `visible_to` still decides)."""
    return event.visibility in (Visibility.PUBLIC, Visibility.INTERNAL) and not event.reblog_of_id


def _home_viewers(listeners: list[Listener]) -> set[int]:
    return {
        listener.viewer_id
        for listener in listeners
        if any(s.stream in (USER, WEB) for s in listener.subscriptions)
    }


def _stream_takes(subscription: Subscription, event: StreamEvent, *, in_home: bool) -> bool:
    """Whether the post of `event` belongs on this stream (visibility is checked apart)."""
    stream = subscription.stream
    if stream in (USER, WEB):
        return in_home
    if stream in PUBLIC_STREAMS:
        return _broadcastable(event)
    if stream in HASHTAG_STREAMS:
        return _broadcastable(event) and subscription.tag in event.hints.get("hashtags", [])
    return False


def _home_audience(event: StreamEvent, viewer_ids: set[int]) -> set[int]:
    """Which of `viewer_ids` get this post in their home timeline (fan-out's rules)."""
    audience = {event.account_id} & viewer_ids
    mentioned = set(event.hints.get("mentioned", []))
    if event.visibility == Visibility.DIRECT:
        return audience | (mentioned & viewer_ids)
    reply_to = event.in_reply_to_account_id
    if reply_to == event.account_id:
        reply_to = None
    followees = {event.account_id} | ({reply_to} if reply_to else set())
    follows = set(
        Follow.objects.filter(
            follower_id__in=viewer_ids - audience, followee_id__in=followees
        ).values_list("follower_id", "followee_id")
    )
    followers = {v for v, followee in follows if followee == event.account_id}
    if reply_to:
        followers &= {v for v, followee in follows if followee == reply_to}
    if event.reblog_of_id and followers:
        followers -= set(
            TimelineEntry.objects.filter(
                owner_id__in=followers, post_id=event.reblog_of_id
            ).values_list("owner_id", flat=True)
        )
    return audience | followers


def visible_pairs(post_ids: list[int], viewer_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(viewer_id, post_id) pairs `Post.objects.visible_to` allows, in one query per
    `VISIBILITY_BATCH` viewers: each viewer's `visible_to` filter, UNIONed."""
    pairs: set[tuple[int, int]] = set()
    viewer_ids = sorted(set(viewer_ids))
    for start in range(0, len(viewer_ids), VISIBILITY_BATCH):
        queries = [
            Post.objects.visible_to(Account(pk=viewer_id))
            .filter(pk__in=post_ids)
            .annotate(viewer=Value(viewer_id, output_field=BigIntegerField()))
            .values_list("pk", "viewer")
            for viewer_id in viewer_ids[start : start + VISIBILITY_BATCH]
        ]
        combined = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
        pairs.update((viewer, post_id) for post_id, viewer in combined)
    return pairs


def _muters(event: StreamEvent, viewer_ids: set[int]) -> set[int]:
    authors = {event.account_id, event.original_author_id} - {None}
    return set(
        Mute.objects.filter(muter_id__in=viewer_ids, muted_id__in=authors).values_list(
            "muter_id", flat=True
        )
    )


def _plan_post(
    event: StreamEvent,
    listeners: list[Listener],
    viewers: dict[int, Account],
    out: dict[int, list[Message]],
) -> None:
    home_viewers = _home_viewers(listeners)
    home = _home_audience(event, home_viewers) if home_viewers else set()
    candidates = _Candidates()
    for listener in listeners:
        for subscription in listener.subscriptions:
            if _stream_takes(subscription, event, in_home=listener.viewer_id in home):
                candidates.add(listener, subscription)
    if not candidates.by_viewer:
        return
    viewer_ids = set(candidates.by_viewer)
    allowed = {v for v, _post in visible_pairs([event.post_id], viewer_ids)}
    allowed -= _muters(event, allowed)
    for viewer_id in allowed:
        rendered: str | None = None
        for listener, subscription in candidates.by_viewer[viewer_id]:
            if subscription.stream == WEB:
                message = Message(event.kind, payloads.web_post_hint(event.kind, event.post_id))
            else:
                if rendered is None:
                    rendered = payloads.status_json(
                        event.post_id, viewers[viewer_id], listener.origin
                    )
                if rendered is None:
                    break
                message = Message(event.kind, rendered, _label(subscription))
            out[listener.key].append(message)


# -- deletes -----------------------------------------------------------------------------


def _plan_delete(
    event: StreamEvent, listeners: list[Listener], out: dict[int, list[Message]]
) -> None:
    known = bool(event.visibility)
    mentioned = set(event.hints.get("mentioned", []))
    home_viewers = _home_viewers(listeners)
    if not known:
        # A repost whose traces are gone: reposts are public or internal, any member's
        # home may have shown it, and the id reveals nothing.
        home = home_viewers
    else:
        home = ({event.account_id} | mentioned) & home_viewers
        if event.visibility != Visibility.DIRECT:
            home |= set(
                Follow.objects.filter(
                    follower_id__in=home_viewers, followee_id=event.account_id
                ).values_list("follower_id", flat=True)
            )
    post_id = str(event.post_id)
    for listener in listeners:
        for subscription in listener.subscriptions:
            if not known and subscription.stream not in (USER, WEB):
                continue
            if _stream_takes(subscription, event, in_home=listener.viewer_id in home):
                payload = post_id
                if subscription.stream == WEB:
                    payload = payloads.web_post_hint(event.kind, event.post_id)
                out[listener.key].append(Message(EventKind.DELETE, payload, _label(subscription)))


# -- notifications -----------------------------------------------------------------------


def _plan_notification(
    event: StreamEvent,
    listeners: list[Listener],
    viewers: dict[int, Account],
    out: dict[int, list[Message]],
) -> None:
    recipient = viewers.get(event.account_id)
    if recipient is None:
        return
    mastodon: str | None = None
    web: str | None = None
    for listener in listeners:
        if listener.viewer_id != recipient.id:
            continue
        for subscription in listener.subscriptions:
            if subscription.stream == WEB:
                web = web or payloads.web_notification_hint(recipient)
                out[listener.key].append(Message(EventKind.NOTIFICATION, web))
            elif subscription.stream in (USER, USER_NOTIFICATION):
                mastodon = mastodon or payloads.notification_json(
                    event.notification_id, recipient, listener.origin
                )
                if mastodon is None:
                    return  # no longer visible to the recipient
                out[listener.key].append(
                    Message(EventKind.NOTIFICATION, mastodon, _label(subscription))
                )

