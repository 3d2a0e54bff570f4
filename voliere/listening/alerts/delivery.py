"""Delivering an alert: in-app to the organisation's managers, then to each channel.

In-app notifications go to every manager of the organisation (`notify`, whose dedup key
makes a repeated delivery harmless). Each e-mail or webhook channel has one
`AlertDelivery`, moved through `TRANSITIONS`:

    pending ─┬─> sent
             ├─> retrying ─> … ─> sent | failed (after `LISTENING_ALERT_ATTEMPTS` tries)
             └─> failed (refused for good: a private webhook address, a disabled channel)

An attempt first claims the delivery with a compare-and-set on `attempts` (so two workers,
or a task run twice, never send the same attempt twice, and a sent delivery is never sent
again), sends outside any transaction, then records the outcome and `last_error`. Retries
wait `RETRY_BASE` · 2^(attempt − 1) seconds (capped at an hour); `resend_due` re-enqueues
deliveries whose retry is due or whose worker died mid-send (the claim pushes
`next_attempt_at` `CLAIM_LEASE` ahead), so nothing is lost across restarts. A crash between
sending and recording may send a webhook twice: receivers deduplicate on `id`.

Webhooks: POST of a JSON object `{"id", "kind", "topic": {"id", "name"}, "title",
"started_at", "details", "url"}` with `X-Voliere-Timestamp` (Unix seconds) and
`X-Voliere-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the
channel's secret>` — the timestamp is signed so a captured request cannot be replayed later
(receivers refuse old timestamps, e.g. more than 5 minutes away from their clock); sent
through `safe_request` (no private addresses unless allowed, timeouts, size cap). Any 2xx
answer is success.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import smtplib
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from voliere.accounts.models import User
from voliere.listening.alerts.subjects import NAME as SUBJECT_NAME
from voliere.listening.alerts.subjects import alert_path
from voliere.listening.models import Alert, AlertChannel, AlertDelivery
from voliere.listening.sources.fetch import FetchFailed, FetchRefused, safe_request
from voliere.notifications.actions import notify
from voliere.notifications.models import NotificationKind

logger = logging.getLogger(__name__)

State = AlertDelivery.State
TRANSITIONS: dict[str, frozenset[str]] = {
    State.PENDING: frozenset({State.SENT, State.RETRYING, State.FAILED}),
    State.RETRYING: frozenset({State.SENT, State.RETRYING, State.FAILED}),
    State.SENT: frozenset(),
    State.FAILED: frozenset(),
}
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)
CLAIM_LEASE = timedelta(minutes=5)
WEBHOOK_TIMEOUT = 10.0
WEBHOOK_MAX_ANSWER = 64 * 1024


class InvalidTransition(RuntimeError):
    """A delivery asked to move where `TRANSITIONS` does not allow (a bug, not bad input)."""


class DeliveryError(Exception):
    """One attempt failed; `permanent` ones are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(f"alert delivery cannot go from {current} to {target}")


def retry_delay(attempt: int) -> timedelta:
    return min(RETRY_CAP, RETRY_BASE * 2 ** (attempt - 1))


# --- the whole alert ---------------------------------------------------------------------


def deliver_alert(alert_id: int) -> None:
    """Notify the managers in-app and start every channel delivery still pending."""
    alert = Alert.objects.filter(pk=alert_id).select_related("topic__organisation").first()
    if alert is None:
        return
    notify_managers(alert)
    for delivery_id, attempts in AlertDelivery.objects.filter(
        alert=alert, state=State.PENDING
    ).values_list("id", "attempts"):
        schedule_attempt(delivery_id, attempts + 1)


def notify_managers(alert: Alert) -> int:
    """One in-app notification per manager of the alert's organisation; how many are new."""
    organisation = alert.topic.organisation
    recipients = User.objects.filter(
        organisation_roles__organisation=organisation, is_active=True
    ).values_list("account_id", flat=True)
    return sum(
        notify(recipient_id=account_id, actor_id=organisation.pk, kind=NotificationKind.ALERT,
               subject_type=SUBJECT_NAME, subject_id=alert.pk)
        for account_id in recipients
    )


def schedule_attempt(delivery_id: int, attempt: int, *, at: datetime | None = None) -> None:
    from voliere.listening.alerts.tasks import send_delivery_task

    task = send_delivery_task
    if at is not None and task.get_backend().supports_defer:
        task = task.using(run_after=at)
    task.enqueue(delivery_id, attempt)


def resend_due(*, now: datetime | None = None, limit: int = 50) -> int:
    """Enqueue the deliveries whose retry is due (or whose sender died); how many."""
    now = now or timezone.now()
    due = list(
        AlertDelivery.objects.filter(state__in=[State.PENDING, State.RETRYING],
                                     next_attempt_at__lte=now)
        .order_by("next_attempt_at").values_list("id", "attempts")[:limit]
    )
    for delivery_id, attempts in due:
        schedule_attempt(delivery_id, attempts + 1)
    return len(due)


# --- one attempt -------------------------------------------------------------------------


def attempt_delivery(delivery_id: int, attempt: int) -> str | None:
    """Make attempt number `attempt` of this delivery; the state it ends in, or None when
    the attempt was not this call's to make (already made, sent or failed)."""
    now = timezone.now()
    claimed = AlertDelivery.objects.filter(
        pk=delivery_id, state__in=[State.PENDING, State.RETRYING], attempts=attempt - 1
    ).update(attempts=attempt, next_attempt_at=now + CLAIM_LEASE)
    if not claimed:
        return None
    delivery = AlertDelivery.objects.select_related(
        "channel", "alert__topic__organisation"
    ).get(pk=delivery_id)
    try:
        send(delivery)
    except DeliveryError as error:
        if error.permanent or attempt >= settings.LISTENING_ALERT_ATTEMPTS:
            return _move(delivery, State.FAILED, last_error=str(error))
        retry_at = timezone.now() + retry_delay(attempt)
        state = _move(delivery, State.RETRYING, last_error=str(error), next_attempt_at=retry_at)
        schedule_attempt(delivery_id, attempt + 1, at=retry_at)
        return state
    return _move(delivery, State.SENT, sent_at=timezone.now(), last_error="")


def _move(delivery: AlertDelivery, target: str, **fields: object) -> str:
    check_transition(delivery.state, target)
    AlertDelivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts).update(
        state=target, **fields
    )
    logger.info("alert delivery %s attempt %s: %s", delivery.pk, delivery.attempts, target)
    return target


def send(delivery: AlertDelivery) -> None:
    channel = delivery.channel
    if not channel.is_active:
        raise DeliveryError(_("The channel is disabled."), permanent=True)
    if channel.kind == AlertChannel.Kind.EMAIL:
        send_email(delivery.alert, channel)
    elif channel.kind == AlertChannel.Kind.WEBHOOK:
        send_webhook(delivery.alert, channel)
    else:
        raise DeliveryError(f"unknown channel kind {channel.kind!r}", permanent=True)


def absolute_alert_url(alert: Alert) -> str:
    return settings.SITE_URL + alert_path(alert)


def send_email(alert: Alert, channel: AlertChannel) -> None:
    body = _("%(title)s\n\nTopic: %(topic)s\nStarted: %(started)s\n\nCrisis view: %(url)s\n") % {
        "title": alert.title, "topic": alert.topic.name,
        "started": alert.started_at.isoformat(timespec="minutes"),
        "url": absolute_alert_url(alert),
    }
    try:
        # Titles quote handles from other networks: a line break there is not a header.
        title = " ".join(alert.title.split())[:150]
        send_mail(_("[Volière alert] %(title)s") % {"title": title}, body,
                  settings.DEFAULT_FROM_EMAIL, [channel.target], fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(_("Sending the e-mail failed: %(error)s") % {"error": error}) from error


def webhook_payload(alert: Alert) -> dict:
    return {
        "id": alert.pk,
        "kind": alert.kind,
        "topic": {"id": alert.topic_id, "name": alert.topic.name},
        "title": alert.title,
        "started_at": alert.started_at.isoformat(),
        "details": alert.details,
        "url": absolute_alert_url(alert),
    }


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Voliere-Signature` value for `body` sent at `timestamp` (Unix seconds)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                      hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def send_webhook(alert: Alert, channel: AlertChannel) -> None:
    body = json.dumps(webhook_payload(alert), ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Voliere-Signature": sign(channel.secret, timestamp, body),
        "X-Voliere-Timestamp": timestamp,
    }
    try:
        response = safe_request("POST", channel.target, headers=headers, content=body,
                                timeout=WEBHOOK_TIMEOUT, max_bytes=WEBHOOK_MAX_ANSWER)
    except FetchRefused as error:
        raise DeliveryError(error.message, permanent=True) from error
    except FetchFailed as error:
        raise DeliveryError(error.message) from error
    if not 200 <= response.status_code < 300:
        raise DeliveryError(_("The webhook answered HTTP %(status)s.")
                            % {"status": response.status_code})
