"""Alert detectors over hour statistics built by `save_matches` from real mention rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from voliere.listening.alerts.actions import run_detection
from voliere.listening.alerts.detectors import burst_threshold, expected_volume, load_series
from voliere.listening.alerts.tasks import detect_alerts_task
from voliere.listening.alerts.testing import add_matches
from voliere.listening.models import Alert, AlertKind

pytestmark = pytest.mark.django_db

H = timedelta(hours=1)
D = timedelta(days=1)
# Monday 2 November 2026, 09:00 UTC
MONDAY_9 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def bursts(topic) -> list[Alert]:
    return list(Alert.objects.filter(topic=topic, kind=AlertKind.BURST).order_by("started_at"))


def test_threshold_is_poisson_like_with_a_floor() -> None:
    assert burst_threshold(0) == 10
    assert burst_threshold(1) == 10
    assert burst_threshold(100) == pytest.approx(2 * 100 + 3 * 10)


def test_a_burst_fires_exactly_once_per_episode_and_a_later_burst_fires_again(
        make_topic, make_mention) -> None:
    topic = make_topic("Acme", "acme")
    start = datetime(2026, 11, 4, 14, tzinfo=UTC)
    add_matches(make_mention, topic, start - 15 * D, 1)  # observed for two weeks, all quiet
    # Hours of the first burst, arriving bit by bit; detection runs after every batch.
    for offset in range(3):
        hour = start + offset * H
        for minute in (10, 25, 40, 55):
            add_matches(make_mention, topic, hour, 4)
            run_detection([topic.pk], now=hour + timedelta(minutes=minute))
    # The quiet hour that follows: still "ongoing" while it fills, over once complete.
    run_detection([topic.pk], now=start + 3 * H + timedelta(minutes=30))
    (alert,) = bursts(topic)
    assert alert.episode_key == start.isoformat() and alert.started_at == start
    assert alert.ended_at is None
    assert alert.details["count"] >= 10 and alert.details["expected"] == 0
    for minutes in (5, 65, 125):
        run_detection([topic.pk], now=start + 4 * H + timedelta(minutes=minutes))
    (alert,) = bursts(topic)
    assert alert.ended_at == start + 3 * H
    assert alert.details["hours"] == 3

    second = start + 7 * H
    add_matches(make_mention, topic, second, 12)
    for minutes in (20, 40, 70):
        run_detection([topic.pk], now=second + timedelta(minutes=minutes))
    first, again = bursts(topic)
    assert first.pk == alert.pk
    assert again.episode_key == second.isoformat() and again.ended_at is None


def test_baseline_knows_the_hour_of_the_week(make_topic, make_mention) -> None:
    """A busy-but-normal Monday 9 am does not fire; the same count at 3 am Sunday does."""
    topic = make_topic("Acme", "acme")
    for week in range(4, 0, -1):
        add_matches(make_mention, topic, MONDAY_9 - week * 7 * D, 30)
    add_matches(make_mention, topic, MONDAY_9, 35)
    series = load_series([topic.pk], MONDAY_9 - 60 * D, MONDAY_9)[topic.pk]
    expectation = expected_volume(series, MONDAY_9, MONDAY_9 - 28 * D)
    assert expectation.weekly == (30, 30, 30, 30) and expectation.expected == 30
    assert run_detection([topic.pk], now=MONDAY_9 + timedelta(minutes=55)) == []

    sunday_3 = MONDAY_9 + 6 * D - 6 * H  # Sunday 8 November, 03:00
    assert sunday_3.strftime("%A %H") == "Sunday 03"
    add_matches(make_mention, topic, sunday_3, 35)
    (alert,) = run_detection([topic.pk], now=sunday_3 + timedelta(minutes=55))
    assert alert.kind == AlertKind.BURST and alert.started_at == sunday_3
    assert alert.details["expected"] == 0


def test_short_history_uses_the_hour_of_the_day_and_no_history_never_fires(
        make_topic, make_mention) -> None:
    topic = make_topic("Acme", "acme")
    now = MONDAY_9 + timedelta(minutes=50)
    add_matches(make_mention, topic, MONDAY_9, 40)
    assert run_detection([topic.pk], now=now) == []  # first day: no baseline yet

    other = make_topic("Acme product", "product")
    for day in (3, 2, 1):
        add_matches(make_mention, other, MONDAY_9 - day * D, 20)
    add_matches(make_mention, other, MONDAY_9, 40)
    series = load_series([other.pk], MONDAY_9 - 10 * D, MONDAY_9)[other.pk]
    expectation = expected_volume(series, MONDAY_9, MONDAY_9 - 3 * D)
    assert expectation.weekly == () and expectation.daily == (20, 20, 20)
    assert run_detection([other.pk], now=now) == []  # 40 < 2·20 + 3·√20
    add_matches(make_mention, other, MONDAY_9, 14)
    assert [a.kind for a in run_detection([other.pk], now=now)] == [AlertKind.BURST]


def test_the_task_uses_the_clock_and_detects_once(make_topic, make_mention) -> None:
    topic = make_topic("Acme", "acme")
    add_matches(make_mention, topic, MONDAY_9 - 3 * D, 1)
    add_matches(make_mention, topic, MONDAY_9, 25)
    with time_machine.travel(MONDAY_9 + timedelta(minutes=45), tick=False):
        assert detect_alerts_task.enqueue([topic.pk]).return_value == 1
        assert detect_alerts_task.enqueue([topic.pk]).return_value == 0
    assert len(bursts(topic)) == 1


def test_inactive_topics_are_not_watched(make_topic, make_mention) -> None:
    topic = make_topic("Acme", "acme", is_active=False)
    add_matches(make_mention, topic, MONDAY_9 - 3 * D, 1)
    add_matches(make_mention, topic, MONDAY_9, 25)
    assert run_detection([topic.pk], now=MONDAY_9 + timedelta(minutes=45)) == []


def test_negative_spike_against_the_topics_usual_share(make_topic, make_mention) -> None:
    topic = make_topic("Acme", "acme")
    now = MONDAY_9 + timedelta(minutes=50)
    for day in range(10, 0, -1):  # usually 10 % negative
        add_matches(make_mention, topic, MONDAY_9 - day * D, 18, sentiment="neutral")
        add_matches(make_mention, topic, MONDAY_9 - day * D + H, 2, sentiment="negative")
    add_matches(make_mention, topic, MONDAY_9 - H, 8, sentiment="neutral")
    add_matches(make_mention, topic, MONDAY_9 - H, 6, sentiment="negative")
    assert not Alert.objects.filter(kind=AlertKind.NEGATIVE).exists()
    assert [a.kind for a in run_detection([topic.pk], now=now)
            if a.kind == AlertKind.NEGATIVE] == []  # 6 negative: under the minimum count
    add_matches(make_mention, topic, MONDAY_9, 6, sentiment="negative")
    new = [a for a in run_detection([topic.pk], now=now) if a.kind == AlertKind.NEGATIVE]
    (alert,) = new
    assert alert.details["negative"] == 12 and alert.details["total"] == 20
    assert alert.details["baseline_share"] < 0.15
    assert run_detection([topic.pk], now=now + timedelta(minutes=5)) == []


def test_many_negative_mentions_in_a_usually_negative_topic_do_not_fire(
        make_topic, make_mention) -> None:
    topic = make_topic("Competitor woes", "woes")
    for day in range(5, 0, -1):
        add_matches(make_mention, topic, MONDAY_9 - day * D, 12, sentiment="negative")
        add_matches(make_mention, topic, MONDAY_9 - day * D, 8, sentiment="neutral")
    add_matches(make_mention, topic, MONDAY_9, 12, sentiment="negative")
    add_matches(make_mention, topic, MONDAY_9, 8, sentiment="neutral")
    found = run_detection([topic.pk], now=MONDAY_9 + timedelta(minutes=50))
    assert [a for a in found if a.kind == AlertKind.NEGATIVE] == []


def test_high_reach_author_once_per_author_and_day(make_topic, make_mention, settings) -> None:
    settings.LISTENING_HIGH_REACH_FOLLOWERS = 10_000
    topic = make_topic("Acme", "acme")
    now = MONDAY_9 + timedelta(minutes=50)
    add_matches(make_mention, topic, MONDAY_9, 1, author_handle="Star", author_followers=50_000,
                url="https://x.example/star/1")
    add_matches(make_mention, topic, MONDAY_9, 1, author_handle="star", author_followers=50_001)
    add_matches(make_mention, topic, MONDAY_9, 1, author_handle="small", author_followers=9_999)
    add_matches(make_mention, topic, MONDAY_9 - 2 * D, 1, author_handle="old",
                author_followers=90_000)
    (alert,) = run_detection([topic.pk], now=now)
    assert alert.kind == AlertKind.HIGH_REACH
    assert alert.details["author_handle"].lower() == "star"
    assert alert.episode_key == "x:star:2026-11-02"
    assert run_detection([topic.pk], now=now + H) == []


def test_new_competitor_hashtag(make_topic, make_mention) -> None:
    rival = make_topic("Globex", "globex", kind="competitor")
    brand = make_topic("Acme", "acme")
    now = MONDAY_9 + timedelta(minutes=50)
    for topic in (rival, brand):
        add_matches(make_mention, topic, MONDAY_9 - 20 * D, 1, hashtags=["globex"])
        for day in range(1, 11):
            add_matches(make_mention, topic, MONDAY_9 - day * D - 2 * H, 1, hashtags=["globex"])
        add_matches(make_mention, topic, MONDAY_9 - 9 * D, 1, hashtags=["summerdeals"])
        add_matches(make_mention, topic, MONDAY_9 - 5 * H, 5, hashtags=["SummerDeals", "globex"])
        add_matches(make_mention, topic, MONDAY_9 - 4 * H, 4, hashtags=["winter"])
    found = [a for a in run_detection([rival.pk, brand.pk], now=now)
             if a.kind == AlertKind.NEW_HASHTAG]
    (alert,) = found
    assert alert.topic == rival and alert.details["hashtag"] == "summerdeals"
    assert alert.details["previous_30_days"] == 1
    assert alert.episode_key == "summerdeals:2026-10-24"
    add_matches(make_mention, rival, MONDAY_9, 1, hashtags=["winter"])  # 5 uses now
    later = [a.details["hashtag"] for a in run_detection([rival.pk], now=now + H)
             if a.kind == AlertKind.NEW_HASHTAG]
    assert later == ["winter"]
    assert run_detection([rival.pk], now=now + 2 * H) == []


def test_a_young_competitor_topic_has_no_new_hashtags(make_topic, make_mention) -> None:
    rival = make_topic("Globex", "globex", kind="competitor")
    add_matches(make_mention, rival, MONDAY_9 - 3 * D, 1, hashtags=["globex"])
    add_matches(make_mention, rival, MONDAY_9, 8, hashtags=["launch"])
    found = run_detection([rival.pk], now=MONDAY_9 + timedelta(minutes=50))
    assert [a for a in found if a.kind == AlertKind.NEW_HASHTAG] == []


def test_ingested_posts_raise_the_alert_after_commit(make_topic, make_mention, organisation,
                                                     listener, run_on_commit) -> None:
    """End to end through the ingestion: its after-commit detection creates the alert and
    the managers are notified."""
    pytest.importorskip("voliere.listening.pipeline.matching")  # part B, used by ingest
    from voliere.listening.ingest import ingest
    from voliere.listening.models import Source
    from voliere.listening.records import IncomingPost
    from voliere.notifications.models import Notification

    topic = make_topic("Acme", "acme")
    add_matches(make_mention, topic, MONDAY_9 - 3 * D, 1)
    source = Source.objects.create(organisation=organisation, kind="import", name="file")
    posts = [IncomingPost(network="x", external_id=f"burst{i}", text=f"acme outage again {i}",
                          published_at=MONDAY_9 + timedelta(minutes=i), author_handle=f"p{i}")
             for i in range(12)]
    with time_machine.travel(MONDAY_9 + timedelta(minutes=40), tick=False), run_on_commit():
        assert ingest(posts, source=source).new == 12
    (alert,) = bursts(topic)
    assert alert.details["count"] == 12
    assert Notification.objects.filter(recipient=listener.account, subject_id=alert.pk).exists()


def test_detection_is_throttled_per_topic_on_queues_that_can_defer(
        make_topic, make_mention, settings) -> None:
    from django.core.cache import cache
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "listening", "notifications"]}}
    cache.clear()
    quiet, busy = make_topic("Quiet", "quiet"), make_topic("Busy", "busy")
    add_matches(make_mention, busy, MONDAY_9 - 3 * D, 1)
    with time_machine.travel(MONDAY_9 + timedelta(minutes=40), tick=False):
        # The dummy backend only records enqueued tasks: call the bodies as a worker would.
        assert detect_alerts_task.call([busy.pk]) == 0
        add_matches(make_mention, busy, MONDAY_9, 25)
        assert detect_alerts_task.call([busy.pk, quiet.pk]) == 0  # busy: too soon
        assert detect_alerts_task.call([busy.pk]) == 0  # already scheduled once
        (later,) = default_task_backend.results
        assert later.args == [[busy.pk]] and later.kwargs == {"deferred": True}
        assert later.task.run_after == MONDAY_9 + timedelta(minutes=40, seconds=15)
        assert detect_alerts_task.call(*later.args, **later.kwargs) == 1
    assert len(bursts(busy)) == 1


def test_late_posts_reopen_the_same_episode(make_topic, make_mention) -> None:
    topic = make_topic("Acme", "acme")
    add_matches(make_mention, topic, MONDAY_9 - 3 * D, 1)
    add_matches(make_mention, topic, MONDAY_9, 15)
    run_detection([topic.pk], now=MONDAY_9 + timedelta(minutes=50))
    run_detection([topic.pk], now=MONDAY_9 + 2 * H + timedelta(minutes=5))
    (alert,) = bursts(topic)
    assert alert.ended_at == MONDAY_9 + H
    add_matches(make_mention, topic, MONDAY_9 + H, 15)  # imported late, same hour after
    run_detection([topic.pk], now=MONDAY_9 + 2 * H + timedelta(minutes=10))
    (alert,) = bursts(topic)
    assert alert.ended_at is None and alert.details["hours"] == 2
