"""The poll lifecycle of an external source: claim, fetch, ingest, schedule.

States and the only transitions allowed (`TRANSITIONS`, checked by `move`):

    active       --success-->  active        (next poll after `poll_interval`)
    active       --error---->  backing_off   (failures = 1)
    backing_off  --success-->  active        (failures = 0, last_error kept for the record
                                              until the next error; shown as "recovered")
    backing_off  --error---->  backing_off   (failures += 1, delay doubles, capped)
    backing_off  --error---->  failed        (after `MAX_FAILURES` consecutive errors)
    active / backing_off --pause--> paused   (by a manager)
    paused / failed      --resume--> active  (by a manager; failures reset, polled at once)

A rate limit (HTTP 429 with Retry-After, or a spent X-RateLimit quota) is not an error: the
state stays, `next_poll_at` moves to when the remote allows. Everything is in the database,
so a restarted worker resumes where it was; the cursor moves only with the stored posts
(the ingestion saves both in one transaction).

Claiming: `poll_due_sources` takes due sources and pushes their `next_poll_at` forward by
`CLAIM_LEASE` before polling, so another worker skips them; if the poller dies, the lease
runs out and the source is polled again (harmless: the cursor did not move).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput
from voliere.listening.models import Source, SourceState
from voliere.listening.sources.base import RateLimited, SourceError
from voliere.listening.sources.registry import POLLED_KINDS, connector_for

logger = logging.getLogger(__name__)

MAX_FAILURES = 8
BACKOFF_BASE = 30.0  # seconds after the first failure, doubling at each next one
BACKOFF_CAP = 3600.0
CLAIM_LEASE = timedelta(minutes=10)
SOON = timedelta(seconds=5)  # next poll when a page cap left more to read
POLLABLE = (SourceState.ACTIVE, SourceState.BACKING_OFF)

TRANSITIONS: dict[tuple[str, str], str] = {
    (SourceState.ACTIVE, "success"): SourceState.ACTIVE,
    (SourceState.ACTIVE, "error"): SourceState.BACKING_OFF,
    (SourceState.BACKING_OFF, "success"): SourceState.ACTIVE,
    (SourceState.BACKING_OFF, "error"): SourceState.BACKING_OFF,
    (SourceState.BACKING_OFF, "give_up"): SourceState.FAILED,
    (SourceState.ACTIVE, "pause"): SourceState.PAUSED,
    (SourceState.BACKING_OFF, "pause"): SourceState.PAUSED,
    (SourceState.PAUSED, "resume"): SourceState.ACTIVE,
    (SourceState.FAILED, "resume"): SourceState.ACTIVE,
}


def move(state: str, event: str) -> str:
    """The state after `event`; an event not allowed from `state` is a clear error."""
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise InvalidInput(_("A source in state “%(state)s” cannot %(event)s.")
                           % {"state": state, "event": event}) from None


@dataclass
class PollOutcome:
    source_id: int
    name: str = ""
    new: int = 0
    duplicate: int = 0
    rejected: int = 0
    error: str = ""
    rate_limited: bool = False
    skipped: bool = False


def backoff_delay(failures: int) -> float:
    """Seconds before retry number `failures` (1-based): doubling from `BACKOFF_BASE`,
    ±20% jitter so sources failing together do not retry together, capped."""
    delay = BACKOFF_BASE * 2 ** min(max(failures - 1, 0), 20)
    return min(BACKOFF_CAP, delay * random.uniform(0.8, 1.2))  # noqa: S311 — not crypto


def poll_source(source_id: int) -> PollOutcome:
    """Poll one source now (if it exists and is active or backing off) and schedule the next
    poll. Never raises for a remote failure: it is recorded on the source."""
    source = Source.objects.select_related("organisation").filter(pk=source_id).first()
    if source is None or source.state not in POLLABLE or source.kind not in POLLED_KINDS:
        return PollOutcome(source_id=source_id, skipped=True)
    outcome = PollOutcome(source_id=source.pk, name=source.name)
    from voliere.listening.ingest import ingest

    try:
        result = connector_for(source.kind).fetch(source)
        ingested = ingest(result.posts, source=source, cursor=result.cursor)
    except RateLimited as limited:
        outcome.rate_limited = True
        _schedule(source, state=source.state, failures=source.failures,
                  last_error=source.last_error, delay=limited.retry_after)
        return outcome
    except (SourceError, InvalidInput) as error:
        outcome.error = error.message
    except Exception as error:  # a connector or ingestion bug must not stop the poller
        logger.exception("listening: polling source %s failed", source.pk)
        outcome.error = f"{type(error).__name__}: {error}"
    if outcome.error:
        _record_failure(source, outcome.error)
        return outcome
    if result.notes:
        logger.info("listening: source %s skipped %s unreadable posts (first: %s)",
                    source.pk, len(result.notes), result.notes[0])
    outcome.new, outcome.duplicate, outcome.rejected = (
        ingested.new, ingested.duplicate, ingested.rejected)
    delay = float(source.poll_interval)
    if result.has_more:
        delay = SOON.total_seconds()
    if result.retry_after is not None:
        delay = max(delay, result.retry_after)
        outcome.rate_limited = True
    _schedule(source, state=move(source.state, "success"), failures=0,
              last_error=source.last_error, delay=delay)
    return outcome


def _record_failure(source: Source, message: str) -> None:
    failures = source.failures + 1
    state = move(source.state, "error")
    if state == SourceState.BACKING_OFF and failures >= MAX_FAILURES:
        state = move(state, "give_up")
    _schedule(source, state=state, failures=failures, last_error=message[:2000],
              delay=backoff_delay(failures))


def _schedule(source: Source, *, state: str, failures: int, last_error: str,
              delay: float) -> None:
    now = timezone.now()
    Source.objects.filter(pk=source.pk).update(
        state=state, failures=failures, last_error=last_error, last_polled_at=now,
        next_poll_at=now + timedelta(seconds=delay),
    )
    source.state, source.failures, source.last_error = state, failures, last_error


def claim_due_sources(*, limit: int = 20, now: datetime | None = None) -> list[int]:
    """Ids of due sources this caller now owns for `CLAIM_LEASE` (see the module docstring).

    PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`, then the lease, in one transaction.
    SQLite (one writer at a time, no row locks): a compare-and-set `UPDATE … WHERE
    next_poll_at = <the value read>` per candidate; only one claimer can win it.
    """
    now = now or timezone.now()
    due = Source.objects.filter(state__in=POLLABLE, kind__in=POLLED_KINDS,
                                next_poll_at__lte=now).order_by("next_poll_at")
    lease_end = now + CLAIM_LEASE
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)
                       [:limit])
            Source.objects.filter(pk__in=ids).update(next_poll_at=lease_end)
        return ids
    claimed = []
    for pk, seen in due.values_list("pk", "next_poll_at")[:limit]:
        if Source.objects.filter(pk=pk, next_poll_at=seen, state__in=POLLABLE).update(
                next_poll_at=lease_end):
            claimed.append(pk)
    return claimed


def poll_due_sources(*, limit: int = 20) -> list[PollOutcome]:
    """One round: claim the due sources and poll them one after the other."""
    return [poll_source(pk) for pk in claim_due_sources(limit=limit)]
