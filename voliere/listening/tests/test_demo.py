"""The demo's command center tells its story through the real pipeline: an outage burst,
a high-reach author, a competitor's new hashtag, questions and complaints in the inbox —
and never a non-public post."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from voliere.demo.seed import seed_demo
from voliere.listening.internal import listenable_posts
from voliere.listening.models import Alert, InboxItem, Mention, Topic, TopicHourStat, TopicMatch
from voliere.posts.models import Post

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def seeded(db):
    assert seed_demo(scale=0.04, now=NOW).created


def test_demo_listening_story(seeded, client):
    topics = {t.name: t for t in Topic.objects.filter(organisation__handle_lower="acme")}
    assert set(topics) >= {"Acme", "Acme Cloud", "Globex"}
    assert Mention.objects.filter(network="x").count() > 1000
    assert Mention.objects.filter(network="internal").exists()
    assert set(Mention.objects.values_list("lang", flat=True)) >= {"fr", "en"}
    assert set(Mention.objects.values_list("sentiment", flat=True)) == {
        "negative", "neutral", "positive"}
    alerts = set(Alert.objects.values_list("topic__name", "kind"))
    assert ("Acme Cloud", "burst") in alerts
    assert ("Acme Cloud", "high_reach") in alerts
    assert ("Globex", "new_hashtag") in alerts
    assert InboxItem.objects.filter(reason="negative").exists()
    assert InboxItem.objects.filter(reason="question").exists()
    # Older items were answered in minutes to hours; today's wait.
    assert InboxItem.objects.filter(state="new").exists()
    answered = InboxItem.objects.filter(first_response_at__isnull=False)
    assert answered.exists()
    assert all(i.first_response_at > i.created_at > i.mention.published_at
               for i in answered.select_related("mention")[:50])
    assert ("Summer campaign" in {t.name for t in Topic.objects.filter(
        matches__isnull=False).distinct()})
    # The hourly counters agree with the matches they summarise.
    assert sum(TopicHourStat.objects.values_list("count", flat=True)) == (
        TopicMatch.objects.count())


def test_demo_collects_only_public_posts(seeded):
    collected = set(Mention.objects.filter(post__isnull=False).values_list("post_id", flat=True))
    assert collected
    assert collected <= set(listenable_posts().values_list("id", flat=True))
    private = Post.objects.exclude(visibility="public").values_list("id", flat=True)
    assert not collected & set(private)
