"""Background work of alerts, on the "listening" queue. Bodies are idempotent."""

from __future__ import annotations

from voliere.core.tasks import retrying_task


@retrying_task(queue_name="listening")
def detect_alerts_task(topic_ids: list[int]) -> int:
    """Enqueued by the ingestion after every batch, for the topics it matched. Also
    re-enqueues deliveries whose retry is due. Returns how many alerts are new."""
    from voliere.listening.alerts.actions import run_detection
    from voliere.listening.alerts.delivery import resend_due

    created = run_detection(topic_ids)
    resend_due()
    return len(created)


@retrying_task(queue_name="listening")
def deliver_alert_task(alert_id: int) -> None:
    from voliere.listening.alerts.delivery import deliver_alert

    deliver_alert(alert_id)


@retrying_task(queue_name="listening")
def send_delivery_task(delivery_id: int, attempt: int) -> str | None:
    from voliere.listening.alerts.delivery import attempt_delivery

    return attempt_delivery(delivery_id, attempt)
