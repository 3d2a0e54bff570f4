"""Dashboard reads: volumes (from the hourly stats and from the matches, which must agree),
per-topic cards, share of voice, top authors/posts/hashtags/terms, the drill-down set, and
filter parsing. Matches are saved through `save_matches`, the ingestion's own writer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from voliere.core.exceptions import InvalidInput
from voliere.listening.dashboard.filters import parse_filters
from voliere.listening.dashboard.queries import (
    dashboard_topics,
    drilldown_mentions,
    recent_window,
    sample_counts,
    scope_topic_ids,
    share_of_voice,
    top_authors,
    top_posts,
    topic_volumes,
    volume_series,
)
from voliere.listening.dashboard.terms import top_terms
from voliere.listening.matches import save_matches
from voliere.listening.models import Alert

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 30, tzinfo=UTC)


def at(hours_ago: float) -> datetime:
    return NOW - timedelta(hours=hours_ago)


@pytest.fixture
def world(make_topic, make_mention):
    """Acme (brand) and Rival (competitor); five mentions over the last three days."""
    acme = make_topic("Acme", "acme")
    rival = make_topic("Rival", "rival", kind="competitor")
    m = {
        "a1": make_mention("acme is great #launch", published_at=at(1), sentiment="positive",
                           lang="en", author_handle="ann", author_followers=500,
                           hashtags=["launch"]),
        "a2": make_mention("acme panne encore #panne #été", published_at=at(1.5),
                           sentiment="negative", lang="fr", author_handle="ann",
                           author_followers=800, network="mastodon:social.example",
                           hashtags=["panne", "été"]),
        "a3": make_mention("acme delivery late again", published_at=at(30),
                           sentiment="negative", lang="en", author_handle="bob_x",
                           author_followers=10_000, url="https://x.example/3"),
        "r1": make_mention("rival and acme compared, delivery #launch", published_at=at(2),
                           sentiment="neutral", lang="en", author_handle="cid",
                           hashtags=["launch"]),
        "old": make_mention("acme old news", published_at=at(24 * 9), sentiment="positive",
                            lang="en", author_handle="dan"),
    }
    save_matches([(acme.id, m["a1"]), (acme.id, m["a2"]), (acme.id, m["a3"]),
                  (acme.id, m["r1"]), (rival.id, m["r1"]), (acme.id, m["old"])])
    return {"acme": acme, "rival": rival, **m}


def filters(**params: str):
    return parse_filters(params, topic_ids=[], now=NOW)


def test_hourly_volume_from_stats_by_sentiment(world):
    f = filters(period="24h")
    series = volume_series([world["acme"].id], f)
    assert series.from_stats and series.bucket == "hour" and len(series.buckets) == 24
    assert f.until == datetime(2026, 3, 10, 13, tzinfo=UTC)
    by_start = {b.start: b.counts for b in series.buckets}
    assert by_start[datetime(2026, 3, 10, 11, tzinfo=UTC)] == {
        "negative": 1, "neutral": 0, "positive": 1}
    assert by_start[datetime(2026, 3, 10, 10, tzinfo=UTC)] == {
        "negative": 0, "neutral": 1, "positive": 0}
    assert series.total == 3  # a3 is 30 h old: outside the last 24 h


def test_daily_volume_and_filtered_volume_from_matches_agree(world):
    f = filters(period="7d")
    stats = volume_series([world["acme"].id], f)
    assert stats.bucket == "day" and stats.from_stats
    assert [b.total for b in stats.buckets][-3:] == [0, 1, 3]
    # A language filter needs TopicMatch: same numbers for the English part only.
    english = volume_series([world["acme"].id], f.with_(lang="en"))
    assert not english.from_stats
    assert [b.total for b in english.buckets][-2:] == [1, 2]
    # Every language together from the matches equals the stats, bar by bar.
    all_langs = volume_series([world["acme"].id], f.with_(network="", author="ann"))
    assert [b.total for b in all_langs.buckets][-1] == 2


def test_sentiment_filter_reads_stats_and_network_family_filter(world):
    f = filters(period="7d", sentiment="negative")
    series = volume_series([world["acme"].id], f)
    assert series.from_stats and series.total == 2
    mastodon = volume_series([world["acme"].id], filters(period="7d", network="mastodon"))
    assert not mastodon.from_stats and mastodon.total == 1


def test_topic_cards_change_negative_share_and_latest_alert(world, organisation):
    Alert.objects.create(topic=world["acme"], kind="burst", episode_key="k",
                         title="Burst on Acme")
    topics = dashboard_topics(organisation)
    assert [t.latest_alert_title for t in topics] == ["Burst on Acme", None]
    volumes = {v.topic.name: v for v in topic_volumes(topics, filters(period="7d"))}
    assert (volumes["Acme"].count, volumes["Acme"].previous) == (4, 1)
    assert volumes["Acme"].change == 300.0
    assert volumes["Acme"].negative_share == 50.0
    assert volumes["Rival"].change is None  # nothing the week before
    english = {v.topic.name: v for v in topic_volumes(topics, filters(period="7d", lang="en"))}
    assert (english["Acme"].count, english["Acme"].previous, english["Acme"].negative) == (
        3, 1, 1)


def test_share_of_voice_brand_against_each_competitor(world, organisation):
    topics = dashboard_topics(organisation)
    shares = share_of_voice(topic_volumes(topics, filters(period="7d")), brand_label="Us")
    assert [(s.label, s.count, round(s.percent)) for s in shares] == [
        ("Us", 4, 80), ("Rival", 1, 20)]
    brand_only = [v for v in topic_volumes(topics, filters()) if not v.topic.is_competitor]
    assert share_of_voice(brand_only, brand_label="Us") == []


def test_top_authors_count_each_mention_once_with_max_reach(world, organisation, make_mention):
    save_matches([(world["acme"].id, make_mention("acme again", published_at=at(3),
                                                   author_handle="ann", author_followers=600))])
    f = filters(period="7d")
    topics = dashboard_topics(organisation)
    authors = top_authors(scope_topic_ids(topics, f), f)
    # The same handle on another network is another person; cid's mention matched both
    # topics and counts once.
    assert [(a.handle, a.network, a.count, a.reach) for a in authors] == [
        ("ann", "x", 2, 600), ("bob_x", "x", 1, 10_000),
        ("ann", "mastodon:social.example", 1, 800), ("cid", "x", 1, 0)]


def test_top_posts_by_reach_without_duplicates(world, organisation):
    f = filters(period="7d")
    topics = dashboard_topics(organisation)
    posts = top_posts(scope_topic_ids(topics, f), f)
    assert [p.id for p in posts] == [world[k].id for k in ("a3", "a2", "a1", "r1")]


def test_sample_hashtags_and_terms_skip_query_words_and_cap(world, organisation):
    f = filters(period="7d")
    topics = dashboard_topics(organisation)
    ids = scope_topic_ids(topics, f)
    sample = sample_counts(topics, ids, f)
    assert dict(sample.hashtags) == {"launch": 2, "panne": 1, "été": 1}
    terms = dict(sample.terms)
    assert terms["delivery"] == 2 and "acme" not in terms and "rival" not in terms
    assert "launch" not in terms  # hashtags are not terms
    assert sample.size == 4 and not sample.capped
    capped = sample_counts(topics, ids, f, size=2)
    assert capped.capped and capped.size == 2


def test_top_terms_french_and_english_stop_words():
    texts = ["Le service client est très lent", "the customer service is slow",
             "service https://example.org/service @service"]
    assert top_terms(texts)[0] == ("service", 3)
    assert {w for w, _ in top_terms(texts)} == {"service", "client", "lent", "customer", "slow"}


def test_drilldown_applies_every_filter_and_stays_in_organisation(
        world, organisation, make_topic, make_mention, make_user):
    from voliere.accounts.actions import create_organisation

    other = create_organisation(handle="other", display_name="Other", managers=[])
    theirs = make_topic("Theirs", "acme", organisation=other)
    hidden = make_mention("acme secret of other org", published_at=at(1))
    save_matches([(theirs.id, hidden)])
    topics = dashboard_topics(organisation)

    def ids(**params):
        f = parse_filters(params, topic_ids=[t.id for t in topics], now=NOW)
        return {m.id for m in drilldown_mentions(organisation, scope_topic_ids(topics, f), f)}

    assert hidden.id not in ids(period="7d")
    assert ids(period="7d") == {world[k].id for k in ("a1", "a2", "a3", "r1")}
    assert ids(period="7d", sentiment="negative") == {world["a2"].id, world["a3"].id}
    assert ids(period="7d", author="@ann") == {world["a1"].id, world["a2"].id}
    assert ids(period="7d", hashtag="#Été") == {world["a2"].id}
    assert ids(period="7d", hashtag="launch", side="competitor") == {world["r1"].id}
    assert ids(period="7d", term="DELIVERY") == {world["a3"].id, world["r1"].id}
    assert ids(period="24h", topic=str(world["rival"].id)) == {world["r1"].id}
    assert ids(period="custom", since="2026-02-28", until="2026-03-02") == {world["old"].id}
    rows = list(drilldown_mentions(organisation, [t.id for t in topics], filters(period="7d")))
    r1 = next(m for m in rows if m.id == world["r1"].id)
    assert [match.topic.name for match in r1.org_matches] == ["Acme", "Rival"]


@pytest.mark.parametrize(("params", "field", "words"), [
    ({"period": "week"}, "period", "must be one of"),
    ({"period": "custom", "until": "2026-03-01"}, "since", "required"),
    ({"period": "custom", "since": "2026-13-01", "until": "2026-03-01"}, "since", "2026-13-01"),
    ({"period": "custom", "since": "2026-03-05", "until": "2026-03-01"}, "until", "after"),
    ({"period": "custom", "since": "2024-01-01", "until": "2026-03-01"}, "since", "366"),
    ({"sentiment": "angry"}, "sentiment", "must be one of"),
    ({"network": "myspace"}, "network", "must be one of"),
    ({"lang": "french!"}, "lang", "language code"),
    ({"topic": "999"}, "topic", "no such topic"),
    ({"topic": "x1"}, "topic", "no such topic"),
    ({"hashtag": "a b"}, "hashtag", "letters"),
    ({"term": "x" * 101}, "term", "at most"),
])
def test_bad_filters_name_the_parameter(params, field, words):
    with pytest.raises(InvalidInput) as error:
        parse_filters(params, topic_ids=[1, 2], now=NOW)
    assert error.value.field == field and words in error.value.message


def test_custom_period_rounds_out_to_hours_and_links_reproduce_filters():
    f = parse_filters({"period": "custom", "since": "2026-03-01T10:20",
                       "until": "2026-03-01T11:10", "sentiment": "negative"},
                      topic_ids=[], now=NOW)
    assert (f.since, f.until) == (datetime(2026, 3, 1, 10, tzinfo=UTC),
                                  datetime(2026, 3, 1, 12, tzinfo=UTC))
    assert f.bucket == "hour"
    again = parse_filters(dict(p.split("=") for p in f.params().replace("%3A", ":").split("&")),
                          topic_ids=[], now=NOW)
    assert again == f
    bar = f.params(since=datetime(2026, 3, 1, 11, tzinfo=UTC),
                   until=datetime(2026, 3, 1, 12, tzinfo=UTC))
    assert "since=2026-03-01T11%3A00" in bar and "sentiment=negative" in bar


def test_recent_window_covers_the_latest_bars_holding_enough_matches(world):
    f = filters(period="7d")
    series = volume_series([world["acme"].id], f)  # daily: …, 0, 1 (yesterday), 3 (today)
    today = series.buckets[-1].start
    assert recent_window(series, f, size=3) == today
    assert recent_window(series, f, size=4) == series.buckets[-2].start
    assert recent_window(series, f, size=100) == f.since  # the whole period holds fewer
    recent = f.with_(since=recent_window(series, f, size=2))
    assert {p.id for p in top_posts([world["acme"].id], recent)} == {
        world[k].id for k in ("a1", "a2", "r1")}  # not a3, yesterday's, with the most reach


@pytest.mark.parametrize("from_stats", [True, False])
def test_days_are_the_readers_local_days(make_topic, make_mention, from_stats):
    """23:30 UTC on 8 March is 00:30 on 9 March in Paris: it counts on the 9th there."""
    from django.utils import timezone

    topic = make_topic("Acme", "acme")
    late = make_mention("acme late", published_at=datetime(2026, 3, 8, 23, 30, tzinfo=UTC),
                        lang="en")
    save_matches([(topic.id, late)])
    with timezone.override("Europe/Paris"):
        f = filters(period="7d", **({} if from_stats else {"lang": "en"}))
        series = volume_series([topic.id], f)
        assert series.from_stats is from_stats
        counted = [b for b in series.buckets if b.total]
        assert [(b.start.date().isoformat(), b.total) for b in counted] == [("2026-03-09", 1)]
        assert counted[0].start.utcoffset() == timedelta(hours=1)
