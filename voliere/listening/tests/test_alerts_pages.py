"""Alert pages: who may see them, CSRF on every change, channels, the crisis view's content,
and the in-app notification linking to it."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voliere.accounts.actions import create_organisation
from voliere.listening.alerts.actions import run_detection
from voliere.listening.alerts.testing import add_matches
from voliere.listening.models import Alert, AlertChannel, AlertKind

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)
D = timedelta(days=1)
START = datetime(2026, 11, 4, 14, tzinfo=UTC)  # a Wednesday afternoon


@pytest.fixture
def topic(make_topic):
    return make_topic("Acme", "acme")


_keys = itertools.count()


def make_alerts(topic, count: int, *, kind: str = AlertKind.HIGH_REACH) -> list[Alert]:
    return [Alert.objects.create(topic=topic, kind=kind, episode_key=f"k{next(_keys)}",
                                 title=f"{topic.name} alert {i}") for i in range(count)]


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"org": "acme", **kwargs})


def test_alert_list_for_managers_only(client, login, listener, bob, topic) -> None:
    (alert,) = make_alerts(topic, 1)
    anonymous = client.get(url("listening_alerts"))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    login(bob)
    assert client.get(url("listening_alerts")).status_code == 404
    assert client.get(url("listening_alert", alert_id=alert.pk)).status_code == 404
    assert client.post(url("listening_alert_acknowledge", alert_id=alert.pk)).status_code == 404
    assert client.get(url("listening_alert_channels")).status_code == 404
    login(listener)
    page = client.get(url("listening_alerts"))
    assert page.status_code == 200
    assert "Acme alert 0" in page.content.decode()


def test_alert_list_queries_do_not_grow_with_the_page(client, login, listener, topic,
                                                      alice) -> None:
    login(listener)
    make_alerts(topic, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("listening_alerts")).status_code == 200
    for alert in make_alerts(topic, 18):
        alert.acknowledged_by = alice
        alert.acknowledged_at = alert.created_at
        alert.save()
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("listening_alerts"))
    assert page.content.decode().count('class="alert-row') == 20
    assert len(many) == len(few)


def test_alert_list_filters_by_kind_and_refuses_unknown_kinds(client, login, listener,
                                                             topic) -> None:
    login(listener)
    make_alerts(topic, 1)
    Alert.objects.create(topic=topic, kind=AlertKind.BURST, episode_key="b", title="Loud hour")
    body = client.get(url("listening_alerts") + "?kind=burst").content.decode()
    assert "Loud hour" in body and "Acme alert 0" not in body
    bad = client.get(url("listening_alerts") + "?kind=<nope>")
    assert bad.status_code == 400 and "&lt;nope&gt;" in bad.content.decode()


def test_other_organisations_alerts_are_not_found(client, login, listener, bob,
                                                  make_topic) -> None:
    globex = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    theirs = make_topic("Globex", "globex", organisation=globex)
    (alert,) = make_alerts(theirs, 1)
    login(listener)
    assert client.get(url("listening_alert", alert_id=alert.pk)).status_code == 404
    assert client.post(url("listening_alert_acknowledge", alert_id=alert.pk)).status_code == 404
    assert "Globex alert" not in client.get(url("listening_alerts")).content.decode()


def test_acknowledge_needs_post_and_csrf(listener, topic) -> None:
    (alert,) = make_alerts(topic, 1)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(listener)
    target = url("listening_alert_acknowledge", alert_id=alert.pk)
    assert browser.get(target).status_code == 405
    assert browser.post(target).status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    page = browser.get(url("listening_alert", alert_id=alert.pk)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    done = browser.post(target, {"csrfmiddlewaretoken": token, "next": "https://evil.test/"})
    assert done.status_code == 302 and done["Location"] == url("listening_alert",
                                                               alert_id=alert.pk)
    alert.refresh_from_db()
    assert alert.acknowledged_by == listener and alert.acknowledged_at is not None
    assert "Acknowledged by @alice" in browser.get(done["Location"]).content.decode()


def test_channels_add_show_secret_once_and_remove(client, login, listener, bob,
                                                  organisation) -> None:
    login(listener)
    added = client.post(url("listening_alert_channels"),
                        {"kind": "webhook", "target": "http://127.0.0.1:9/hook"})
    assert added.status_code == 200
    channel = AlertChannel.objects.get(organisation=organisation)
    assert len(channel.secret) >= 32
    assert channel.secret in added.content.decode()
    later = client.get(url("listening_alert_channels")).content.decode()
    assert channel.secret not in later and f"••••{channel.secret[-4:]}" in later
    assert client.post(url("listening_alert_channels"),
                       {"kind": "email", "target": "cm@acme.test"}).status_code == 200
    assert AlertChannel.objects.filter(organisation=organisation).count() == 2

    login(bob)
    delete = url("listening_alert_channel_delete", channel_id=channel.pk)
    assert client.post(delete).status_code == 404
    login(listener)
    assert client.get(delete).status_code == 405
    assert client.post(url("listening_alert_channel_toggle",
                           channel_id=channel.pk)).status_code == 302
    channel.refresh_from_db()
    assert channel.is_active is False
    assert client.post(delete).status_code == 302
    assert not AlertChannel.objects.filter(pk=channel.pk).exists()


@pytest.mark.parametrize(("kind", "target", "message"), [
    ("email", "not an address", "valid e-mail"),
    ("webhook", "ftp://example.org/hook", "valid http"),
    ("webhook", "http://10.0.0.1/hook", "private"),
    ("sms", "+331234", "valid choice"),
])
def test_bad_channels_are_refused_with_a_reason(client, login, listener, organisation, kind,
                                                target, message) -> None:
    login(listener)
    page = client.post(url("listening_alert_channels"), {"kind": kind, "target": target})
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not AlertChannel.objects.exists()


def build_burst(make_mention, topic):
    """Two quiet weeks, then a burst driven by #recall, amplified by @bignews."""
    for day in range(14, 0, -1):
        add_matches(make_mention, topic, START - day * D, 2, text="acme shop opening hours",
                    hashtags=["acme"])
    add_matches(make_mention, topic, START, 12, sentiment="negative",
                text="acme recall battery fire <script>alert(1)</script>",
                hashtags=["acme", "recall"], entities=[{"text": "Acme Phone", "label": "PRODUCT"}])
    add_matches(make_mention, topic, START, 1, author_handle="bignews", author_followers=900_000,
                text="Breaking: acme recall", hashtags=["recall"], sentiment="negative")
    add_matches(make_mention, topic, START, 3, author_handle="angry", text="acme recall again")
    with time_machine.travel(START + timedelta(minutes=55), tick=False):
        alerts = run_detection([topic.pk])
    return next(a for a in alerts if a.kind == AlertKind.BURST)


def test_crisis_view_shows_timeline_drivers_amplifiers_and_tone(
        client, login, listener, topic, make_topic, make_mention, bob) -> None:
    alert = build_burst(make_mention, topic)
    globex = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    theirs = make_topic("Globex", "acme", organisation=globex)
    add_matches(make_mention, theirs, START, 5, author_handle="secretsource",
                text="only globex sees this acme post")
    login(listener)
    with time_machine.travel(START + timedelta(minutes=58), tick=False):
        page = client.get(url("listening_alert", alert_id=alert.pk))
    assert page.status_code == 200
    body = page.content.decode()
    # Timeline: 24 hours before the burst and its hour, with the baseline line.
    figure = body[body.index('<figure class="chart crisis-chart">'):body.index("</figure>")]
    assert figure.count("<rect ") == 25
    assert figure.count('class="bar-episode"') == 1 and "<polyline" in figure
    assert "16 mentions in this period" in body
    # Drivers and amplifiers: the new hashtag and word, the big account, the busiest poster.
    drivers = body[body.index("Hashtags driving it"):body.index("Words driving it")]
    assert "#recall" in drivers and "#acme" not in drivers
    words = body[body.index("Words driving it"):body.index("Names driving it")]
    assert "recall" in words and "hours" not in words
    assert "Acme Phone" in body[body.index("Names driving it"):]
    reach = body[body.index("biggest audiences"):body.index("most posts")]
    assert reach.index("@bignews") < reach.index("@angry")
    assert "900000" in reach
    # Tone, escaping, only this organisation's data, link to the mentions.
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "secretsource" not in body and "only globex" not in body
    assert f"topic={topic.pk}" in body and "period=custom" in body
    negative = re.search(r"Negative</th><td>(\d+)</td>", body)
    assert negative and negative.group(1) == "13"


def test_alert_notification_links_to_the_crisis_view(client, login, listener, bob, topic,
                                                     make_mention, run_on_commit) -> None:
    for day in (3, 2, 1):
        add_matches(make_mention, topic, START - day * D, 1)
    add_matches(make_mention, topic, START, 15)
    with time_machine.travel(START + timedelta(minutes=30), tick=False), run_on_commit():
        (alert,) = run_detection([topic.pk])
    login(listener)
    body = client.get(reverse("notifications")).content.decode()
    assert f"Alert: {alert.title}" in body
    assert url("listening_alert", alert_id=alert.pk) in body
    login(bob)
    assert alert.title not in client.get(reverse("notifications")).content.decode()
