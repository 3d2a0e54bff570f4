"""Turning detector findings into alerts — exactly once per episode — and starting delivery.

`Alert` is unique on (topic, kind, episode_key): detection may run many times over one
episode, or twice at once after two batches, and still create one alert. The alert, its
delivery rows (one per active channel of the organisation) and the end of finished
episodes are written in one transaction; delivery starts only after it commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from voliere.accounts.models import User
from voliere.listening.alerts.detectors import Finding, detect
from voliere.listening.models import Alert, AlertChannel, AlertDelivery, AlertKind


def run_detection(topic_ids: Iterable[int], *, now: datetime | None = None) -> list[Alert]:
    """Detect as of `now` (default: now) and record; returns the alerts that are new."""
    return record_findings(detect(list(topic_ids), now or timezone.now()))


@transaction.atomic
def record_findings(findings: Iterable[Finding]) -> list[Alert]:
    created_alerts: list[Alert] = []
    for finding in findings:
        key = {"topic_id": finding.topic_id, "kind": finding.kind,
               "episode_key": finding.episode_key}
        if finding.fires:
            alert, created = Alert.objects.get_or_create(**key, defaults={
                "title": finding.title[:300], "details": finding.details,
                "started_at": finding.started_at, "ended_at": finding.ended_at,
            })
            if created:
                _prepare_deliveries(alert)
                created_alerts.append(alert)
                continue
        else:
            alert = Alert.objects.filter(**key).first()
            if alert is None:
                continue
        _follow_episode(alert, finding)
    return created_alerts


def _follow_episode(alert: Alert, finding: Finding) -> None:
    """Keep an existing alert in step with its episode: how long it lasts, when it ended
    (an hour completed late, by posts imported afterwards, reopens it)."""
    changed = []
    details = {**alert.details, **{k: v for k, v in finding.details.items()
                                   if k in ("last_hour", "hours")}}
    if details != alert.details:
        alert.details = details
        changed.append("details")
    ended_at = None if finding.fires else finding.ended_at
    episodic = alert.kind in (AlertKind.BURST, AlertKind.NEGATIVE)
    if finding.fires and episodic and alert.ended_at is not None:
        alert.ended_at = None
        changed.append("ended_at")
    elif ended_at is not None and alert.ended_at is None:
        alert.ended_at = ended_at
        changed.append("ended_at")
    if changed:
        alert.save(update_fields=changed)


def _prepare_deliveries(alert: Alert) -> None:
    channels = AlertChannel.objects.filter(
        organisation_id=alert.topic.organisation_id, is_active=True
    ).values_list("id", flat=True)
    AlertDelivery.objects.bulk_create(
        [AlertDelivery(alert=alert, channel_id=channel_id) for channel_id in channels],
        ignore_conflicts=True,
    )
    alert_id = alert.pk

    def start() -> None:
        from voliere.listening.alerts.tasks import deliver_alert_task

        deliver_alert_task.enqueue(alert_id)

    transaction.on_commit(start)


def acknowledge(alert: Alert, user: User) -> bool:
    """Mark the alert as seen by `user`; False if someone acknowledged it already."""
    updated = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=user, acknowledged_at=timezone.now()
    )
    return bool(updated)
