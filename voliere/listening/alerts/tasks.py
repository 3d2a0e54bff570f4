"""Background work of alerts, on the "listening" queue. Bodies are idempotent.

The ingestion enqueues `detect_alerts_task` after every batch; under a heavy stream that is
several times a second for the same topics, while one detection of 50 busy topics takes
about half a second. So a topic is detected at most once every `DETECT_EVERY` seconds:
a batch arriving inside that interval schedules one deferred detection at its end (the
alert is then at most that late, and the last batch of a burst is never left unexamined).
Queues that cannot defer (the immediate backend of tests) detect every time.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from voliere.core.tasks import retrying_task

DETECT_EVERY = 15  # seconds


@retrying_task(queue_name="listening")
def detect_alerts_task(topic_ids: list[int], deferred: bool = False) -> int:
    """Detect alerts for these topics (throttled, see the module docstring), then
    re-enqueue deliveries whose retry is due. Returns how many alerts are new."""
    from voliere.listening.alerts.actions import run_detection
    from voliere.listening.alerts.delivery import resend_due

    due = list(topic_ids)
    if detect_alerts_task.get_backend().supports_defer:
        due = _throttle(topic_ids, deferred=deferred)
    created = run_detection(due) if due else []
    resend_due()
    return len(created)


def _throttle(topic_ids: list[int], *, deferred: bool) -> list[int]:
    """The topics to detect now; the others get one detection deferred to the end of their
    interval (`cache.add` is atomic: one worker wins each key)."""
    due, later = [], []
    for topic_id in topic_ids:
        if cache.add(f"listening:alerts:recent:{topic_id}", 1, DETECT_EVERY) or deferred:
            due.append(topic_id)
            if deferred:
                cache.delete(f"listening:alerts:pending:{topic_id}")
        elif cache.add(f"listening:alerts:pending:{topic_id}", 1, DETECT_EVERY * 2):
            later.append(topic_id)
    if later:
        detect_alerts_task.using(
            run_after=timezone.now() + timedelta(seconds=DETECT_EVERY)
        ).enqueue(later, deferred=True)
    return due


@retrying_task(queue_name="listening")
def deliver_alert_task(alert_id: int) -> None:
    from voliere.listening.alerts.delivery import deliver_alert

    deliver_alert(alert_id)


@retrying_task(queue_name="listening")
def send_delivery_task(delivery_id: int, attempt: int) -> str | None:
    from voliere.listening.alerts.delivery import attempt_delivery

    return attempt_delivery(delivery_id, attempt)
