"""`save_matches` stores each (topic, mention) pair once and keeps hourly counters exact;
`refresh_hour_stats` recounts after removals, down to nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from voliere.listening.matches import hour_of, refresh_hour_stats, save_matches
from voliere.listening.models import TopicHourStat, TopicMatch

pytestmark = pytest.mark.django_db

NINE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _counters(topic) -> dict[tuple[datetime, str], int]:
    return {(s.hour, s.sentiment): s.count for s in TopicHourStat.objects.filter(topic=topic)}


def test_new_pairs_are_saved_once_and_counted_once(make_topic, make_mention):
    brand = make_topic("Acme", "acme")
    rival = make_topic("Globex", "globex", kind="competitor")
    a = make_mention("a", published_at=NINE + timedelta(minutes=5), sentiment="negative")
    b = make_mention("b", published_at=NINE + timedelta(minutes=50))
    c = make_mention("c", published_at=NINE + timedelta(hours=1, minutes=1))

    first = save_matches([(brand.id, a), (brand.id, b), (rival.id, a), (brand.id, a)])
    again = save_matches([(brand.id, a), (brand.id, c)])

    assert sorted((m.topic_id, m.mention_id) for m in first) == sorted(
        [(brand.id, a.id), (brand.id, b.id), (rival.id, a.id)])
    assert [(m.topic_id, m.mention_id) for m in again] == [(brand.id, c.id)]
    assert all(m.pk and m.mention.text for m in first + again)
    assert TopicMatch.objects.count() == 4
    assert _counters(brand) == {(NINE, "negative"): 1, (NINE, "neutral"): 1,
                                (NINE + timedelta(hours=1), "neutral"): 1}
    assert _counters(rival) == {(NINE, "negative"): 1}


def test_refresh_after_removal_recounts_and_drops_emptied_hours(make_topic, make_mention):
    topic = make_topic("Acme", "acme")
    kept = make_mention("kept", published_at=NINE)
    gone = make_mention("gone", published_at=NINE + timedelta(hours=3))
    save_matches([(topic.id, kept), (topic.id, gone)])
    TopicMatch.objects.filter(mention=gone).delete()

    refresh_hour_stats({(topic.id, hour_of(kept.published_at)),
                        (topic.id, hour_of(gone.published_at))})
    refresh_hour_stats({(topic.id, hour_of(gone.published_at))})  # repeating is harmless

    assert _counters(topic) == {(NINE, "neutral"): 1}
