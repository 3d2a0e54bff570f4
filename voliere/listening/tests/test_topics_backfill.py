"""Backfill: matches the topic over its organisation's stored mentions in chunks with
progress, is idempotent, stops when the query changes, and keeps hourly counts equal to
the matches."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from voliere.accounts.actions import create_organisation
from voliere.listening.models import BackfillState, Source, Topic, TopicHourStat, TopicMatch
from voliere.listening.topics import actions, backfill
from voliere.listening.topics.backfill import Outcome, run_backfill
from voliere.listening.topics.tasks import backfill_topic_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(organisation, bob, make_mention):
    """25 matching mentions over three days (internal and the organisation's own source),
    noise, and a matching mention collected by ANOTHER organisation's source."""
    ours = Source.objects.create(organisation=organisation, kind="rss", name="Blog")
    other = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    theirs = Source.objects.create(organisation=other, kind="rss", name="Theirs")
    now = timezone.now()
    for n in range(25):
        make_mention(f"Acmé launch number {n}", published_at=now - timedelta(hours=3 * n),
                     sentiment=("negative", "positive", "neutral")[n % 3],
                     **({"network": "internal"} if n % 2 else {"source": ours,
                                                              "network": "rss:ab"}))
    for n in range(10):
        make_mention(f"unrelated {n}", network="internal")
    make_mention("acme elsewhere", source=theirs, network="rss:cd")
    return ours


def topic_for(organisation, query="acme") -> Topic:
    return Topic.objects.create(organisation=organisation, name="Acme", query=query)


def assert_stats_equal_matches(topic: Topic) -> None:
    stats = TopicHourStat.objects.filter(topic=topic).aggregate(n=Sum("count"))["n"] or 0
    assert stats == TopicMatch.objects.filter(topic=topic).count()
    by_sentiment = {row["sentiment"]: row["n"] for row in TopicHourStat.objects.filter(
        topic=topic).values("sentiment").annotate(n=Sum("count"))}
    assert by_sentiment == {s: TopicMatch.objects.filter(topic=topic, sentiment=s).count()
                            for s in by_sentiment}


def test_backfill_matches_the_organisations_scope_with_progress(organisation, corpus,
                                                                 monkeypatch):
    topic = topic_for(organisation)
    seen = []
    real = backfill.save_matches

    def spy(pairs):
        new = real(pairs)
        seen.append(Topic.objects.values_list("backfill_state", "backfill_done",
                                              "backfill_total").get(pk=topic.pk))
        return new

    monkeypatch.setattr(backfill, "save_matches", spy)
    assert run_backfill(topic.pk, 1, chunk_size=10) is Outcome.DONE
    # Seen while each chunk is saved: the chunks before it are counted as done.
    assert seen == [("running", 0, 35), ("running", 10, 35), ("running", 20, 35),
                    ("running", 30, 35)]
    topic.refresh_from_db()
    assert (topic.backfill_state, topic.backfill_done, topic.backfill_total) == (
        BackfillState.IDLE, 35, 35)
    assert topic.matches.count() == 25  # not the other organisation's mention
    assert_stats_equal_matches(topic)


def test_running_twice_adds_nothing(organisation, corpus):
    topic = topic_for(organisation)
    run_backfill(topic.pk, 1, chunk_size=7)
    stats = list(TopicHourStat.objects.filter(topic=topic).values_list("hour", "sentiment",
                                                                        "count"))
    assert backfill_topic_task.enqueue(topic.pk, 1).return_value == "done"
    assert topic.matches.count() == 25
    assert sorted(stats) == sorted(TopicHourStat.objects.filter(topic=topic).values_list(
        "hour", "sentiment", "count"))


def test_a_query_change_stops_the_old_run(organisation, corpus, monkeypatch, run_on_commit):
    topic = topic_for(organisation)
    calls = []
    real = backfill.save_matches

    def edit_during_first_chunk(pairs):
        new = real(pairs)
        if not calls:  # the manager edits the query while the first chunk is written
            with run_on_commit():
                actions.update_topic(topic, name="Acme", query="unrelated", kind="brand")
        calls.append(len(new))
        return new

    monkeypatch.setattr(backfill, "save_matches", edit_during_first_chunk)
    assert run_backfill(topic.pk, 1, chunk_size=10) is Outcome.STALE
    topic.refresh_from_db()
    assert topic.query_version == 2
    # Only the new query's matches remain (its own backfill ran on commit of the edit).
    texts = set(TopicMatch.objects.filter(topic=topic).values_list("mention__text", flat=True))
    assert texts == {f"unrelated {n}" for n in range(10)}
    assert topic.backfill_state == BackfillState.IDLE
    assert_stats_equal_matches(topic)


def test_old_version_or_deleted_topic_is_a_no_op(organisation, corpus):
    topic = topic_for(organisation)
    assert run_backfill(topic.pk, 7) is Outcome.STALE
    assert not TopicMatch.objects.exists()
    assert backfill_topic_task.enqueue(999_999, 1).return_value == "stale"


def test_a_failure_is_shown_then_retried(organisation, corpus, monkeypatch, settings):
    settings.TASK_MAX_ATTEMPTS = 1
    topic = topic_for(organisation)

    def broken(pairs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(backfill, "save_matches", broken)
    result = backfill_topic_task.enqueue(topic.pk, 1)
    assert result.status == "FAILED"
    topic.refresh_from_db()
    assert topic.backfill_state == BackfillState.FAILED
    assert "disk full" in topic.backfill_error
    monkeypatch.undo()
    actions.request_backfill(topic)  # the immediate backend runs it on commit
    topic.refresh_from_db()
    assert topic.backfill_state in (BackfillState.QUEUED, BackfillState.IDLE)
