"""Delivering alerts: in-app to managers only, e-mail, webhooks signed and retried, checked
by a receiver on loopback that verifies the signature with the secret itself."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from voliere.accounts.models import OrganisationRole
from voliere.listening.alerts import delivery
from voliere.listening.alerts.actions import record_findings
from voliere.listening.alerts.detectors import Finding
from voliere.listening.models import Alert, AlertChannel, AlertDelivery, AlertKind
from voliere.listening.tests.sources_server import Canned, Recorded, canned_server
from voliere.notifications.models import Notification, NotificationKind

__all__ = ["canned_server"]  # the loopback receiver fixture
pytestmark = pytest.mark.django_db
SECRET = "a shared webhook secret"  # noqa: S105 — test value
State = AlertDelivery.State


@pytest.fixture
def topic(make_topic):
    return make_topic("Acme", "acme")


@pytest.fixture
def fire(topic, run_on_commit):
    """Record one new alert the way detection does, running its after-commit delivery."""

    def do(key: str = "x:star:2026-11-02",
           title: str = "Acme: @star (50000 followers) posted") -> Alert | None:
        with run_on_commit():
            created = record_findings([Finding(
                topic_id=topic.pk, kind=AlertKind.HIGH_REACH, episode_key=key,
                title=title, started_at=timezone.now(),
                fires=True, details={"author_handle": "star", "text": "<b>hi</b>"},
            )])
        return created[0] if created else None

    return do


def webhook(organisation, url: str, secret: str = SECRET, **fields) -> AlertChannel:
    return AlertChannel.objects.create(organisation=organisation, kind="webhook", target=url,
                                       secret=secret, **fields)


def verifying_receiver(secret: str, statuses: list[int] | None = None):
    """Answers 401 to a bad signature, else the next of `statuses` (default 204)."""
    pending = list(statuses or [])

    def answer(request: Recorded) -> Canned:
        timestamp = request.headers.get("x-voliere-timestamp", "")
        signed = timestamp.encode() + b"." + request.body
        expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.headers.get("x-voliere-signature", "")):
            return Canned(401, "bad signature")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return Canned(401, "stale timestamp")
        return Canned(pending.pop(0) if pending else 204)

    return answer


def test_webhook_is_signed_and_sent_once(organisation, fire, canned_server, settings) -> None:
    settings.SITE_URL = "https://voliere.example"
    canned_server.route("/hook", verifying_receiver(SECRET))
    channel = webhook(organisation, canned_server.url("/hook"))
    alert = fire()
    (received,) = canned_server.to("/hook")
    assert received.method == "POST"
    assert received.headers["content-type"] == "application/json"
    assert abs(int(received.headers["x-voliere-timestamp"]) - timezone.now().timestamp()) < 60
    payload = json.loads(received.body)
    assert set(payload) == {"id", "kind", "topic", "title", "started_at", "details", "url"}
    assert payload["id"] == alert.pk and payload["kind"] == "high_reach"
    assert payload["topic"] == {"id": alert.topic_id, "name": "Acme"}
    assert payload["details"]["text"] == "<b>hi</b>"
    assert payload["url"] == f"https://voliere.example/listening/acme/alerts/{alert.pk}/"
    sent = AlertDelivery.objects.get(alert=alert, channel=channel)
    assert (sent.state, sent.attempts, sent.last_error) == (State.SENT, 1, "")
    assert sent.sent_at is not None
    # Sent is final: neither another attempt, nor a new delivery run, nor the sweeper resend.
    assert delivery.attempt_delivery(sent.pk, 2) is None
    delivery.deliver_alert(alert.pk)
    assert delivery.resend_due(now=timezone.now() + timedelta(days=1)) == 0
    assert len(canned_server.to("/hook")) == 1


def test_a_wrong_secret_is_rejected_by_the_receiver_and_ends_failed(
        organisation, fire, canned_server, settings) -> None:
    settings.LISTENING_ALERT_ATTEMPTS = 3
    canned_server.route("/hook", verifying_receiver(SECRET))
    webhook(organisation, canned_server.url("/hook"), secret="not the receiver's secret")
    alert = fire()
    failed = AlertDelivery.objects.get(alert=alert)
    assert (failed.state, failed.attempts) == (State.FAILED, 3)
    assert "401" in failed.last_error
    assert len(canned_server.to("/hook")) == 3
    assert delivery.attempt_delivery(failed.pk, 4) is None


def test_fails_twice_then_delivered_exactly_once(organisation, fire, canned_server) -> None:
    canned_server.route("/hook", verifying_receiver(SECRET, [500, 503, 200]))
    webhook(organisation, canned_server.url("/hook"))
    alert = fire()
    sent = AlertDelivery.objects.get(alert=alert)
    assert (sent.state, sent.attempts, sent.last_error) == (State.SENT, 3, "")
    assert len(canned_server.to("/hook")) == 3
    bodies = {r.body for r in canned_server.to("/hook")}
    assert len(bodies) == 1  # the same alert each time


def test_retries_wait_with_backoff_and_the_sweeper_resumes(
        organisation, topic, canned_server, settings) -> None:
    """With a queue that can defer, a failed attempt is retried later, not at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "listening", "notifications"]}}
    canned_server.route("/hook", [Canned(500), Canned(204)])
    channel = webhook(organisation, canned_server.url("/hook"))
    alert = Alert.objects.create(topic=topic, kind=AlertKind.BURST, episode_key="k", title="t")
    pending = AlertDelivery.objects.create(alert=alert, channel=channel)
    before = timezone.now()
    assert delivery.attempt_delivery(pending.pk, 1) == State.RETRYING
    retrying = AlertDelivery.objects.get(pk=pending.pk)
    assert retrying.attempts == 1 and "500" in retrying.last_error
    due = retrying.next_attempt_at
    assert before + delivery.RETRY_BASE <= due <= timezone.now() + delivery.RETRY_BASE
    assert delivery.resend_due(now=due - timedelta(seconds=1)) == 0  # not due yet
    assert delivery.resend_due(now=due) == 1
    assert delivery.attempt_delivery(pending.pk, 2) == State.SENT
    assert delivery.attempt_delivery(pending.pk, 2) is None  # that attempt was made
    assert [delivery.retry_delay(n).total_seconds() for n in (1, 2, 3, 10)] == [
        30, 60, 120, 3600]


def test_a_private_webhook_address_fails_at_once(organisation, fire, settings) -> None:
    webhook(organisation, "http://10.1.2.3/hook")
    failed = AlertDelivery.objects.get(alert=fire())
    assert (failed.state, failed.attempts) == (State.FAILED, 1)
    assert "private" in failed.last_error


def test_transition_table_refuses_leaving_a_final_state() -> None:
    delivery.check_transition(State.PENDING, State.RETRYING)
    delivery.check_transition(State.RETRYING, State.RETRYING)
    for final in (State.SENT, State.FAILED):
        for target in State.values:
            with pytest.raises(delivery.InvalidTransition):
                delivery.check_transition(final, target)


def test_email_to_active_channels_only(organisation, fire, settings) -> None:
    settings.SITE_URL = "https://voliere.example"
    AlertChannel.objects.create(organisation=organisation, kind="email", target="cm@acme.test")
    AlertChannel.objects.create(organisation=organisation, kind="email", target="off@acme.test",
                                is_active=False)
    alert = fire()
    (message,) = mail.outbox
    assert message.to == ["cm@acme.test"]
    assert "@star" in message.subject
    assert f"https://voliere.example/listening/acme/alerts/{alert.pk}/" in message.body
    assert AlertDelivery.objects.get(alert=alert).state == State.SENT
    assert fire() is None  # the same episode again: nothing new to send
    assert len(mail.outbox) == 1


def test_a_title_with_line_breaks_cannot_inject_mail_headers(organisation, fire) -> None:
    """A handle from another network ends up in the title: its line breaks must neither add
    headers nor make the message unsendable (which would retry it forever)."""
    AlertChannel.objects.create(organisation=organisation, kind="email", target="cm@acme.test")
    alert = fire(title="Acme: @eve\r\nBcc: all@evil.test\n(9 followers) posted")
    (message,) = mail.outbox
    assert message.bcc == [] and "\n" not in message.subject and "\r" not in message.subject
    assert "@eve Bcc: all@evil.test (9 followers)" in message.subject
    assert AlertDelivery.objects.get(alert=alert).state == State.SENT


def test_in_app_notification_to_every_manager_once(organisation, fire, alice, bob, carol,
                                                   make_topic) -> None:
    OrganisationRole.objects.create(user=carol, organisation=organisation)
    alert = fire()
    delivery.deliver_alert(alert.pk)
    notified = Notification.objects.filter(kind=NotificationKind.ALERT)
    assert sorted(n.recipient_id for n in notified) == sorted([alice.account_id,
                                                               carol.account_id])
    assert {(n.subject_type, n.subject_id, n.actor_id) for n in notified} == {
        ("listening_alert", alert.pk, organisation.pk)}
    assert not notified.filter(recipient=bob.account).exists()


def test_a_former_manager_no_longer_sees_the_alert_notification(organisation, fire, carol,
                                                                login) -> None:
    from voliere.notifications.queries import visible_notifications

    role = OrganisationRole.objects.create(user=carol, organisation=organisation)
    alert = fire()
    delivery.deliver_alert(alert.pk)
    assert visible_notifications(carol.account).filter(subject_id=alert.pk).exists()
    page = login(carol).get(reverse("notifications"))
    assert alert.title.encode() in page.content
    role.delete()
    assert not visible_notifications(carol.account).filter(subject_id=alert.pk).exists()
    page = login(carol).get(reverse("notifications"))
    assert page.status_code == 200 and alert.title.encode() not in page.content
