"""Alerts as the subject of in-app notifications (kind `alert`).

A notification about an alert shows only while the recipient may use the listening of the
alert's organisation (manages it, or is the organisation's account itself): someone who
stops managing it stops seeing its alerts in every list and count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse

from voliere.notifications import subjects

if TYPE_CHECKING:
    from voliere.accounts.models import Account

NAME = "listening_alert"


def _visible_ids(viewer: Account) -> QuerySet:
    from voliere.listening.models import Alert

    return Alert.objects.filter(
        Q(topic__organisation=viewer) | Q(topic__organisation__managers__user__account=viewer)
    ).values("id")


def _describe(ids: list[int]) -> dict[int, subjects.Subject]:
    from voliere.listening.models import Alert

    alerts = Alert.objects.filter(pk__in=ids).select_related("topic__organisation")
    return {
        alert.pk: subjects.Subject(title=alert.title, url=alert_path(alert)) for alert in alerts
    }


def alert_path(alert) -> str:  # noqa: ANN001 — listening.Alert with topic__organisation
    return reverse("listening_alert", kwargs={"org": alert.topic.organisation.handle,
                                              "alert_id": alert.pk})


def register_subject_type() -> None:
    subjects.register(subjects.SubjectType(name=NAME, visible_ids=_visible_ids,
                                           describe=_describe))
