"""`ingest()` through the real parts: enrichment, matching, match saving, inbox routing,
alert detection, on the test database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from voliere.accounts.actions import create_organisation
from voliere.listening import ingest as ingest_module
from voliere.listening.ingest import extract_hashtags, ingest
from voliere.listening.models import (
    Alert,
    AlertKind,
    InboxItem,
    Mention,
    Source,
    SourceKind,
    TopicHourStat,
    TopicMatch,
)
from voliere.listening.pipeline.enrich import enrich
from voliere.listening.records import IncomingPost

MORNING = datetime(2024, 3, 5, 9, 15, tzinfo=UTC)


def post(external_id: str, text: str, *, at: datetime = MORNING, **fields) -> IncomingPost:
    fields.setdefault("network", "x")
    return IncomingPost(external_id=external_id, text=text, published_at=at, **fields)


@pytest.fixture
def source(organisation) -> Source:
    return Source.objects.create(organisation=organisation, kind=SourceKind.IMPORT, name="file")


@pytest.fixture
def topics(make_topic):
    return make_topic("Acme", "acme OR #acmerocket"), make_topic(
        "Globex", "globex", kind="competitor")


def test_new_posts_are_stored_once_enriched_with_hashtags(source, topics):
    texts = ["J'adore la nouvelle Acme Rocket, merveilleuse ! #AcmeRocket #Fusée",
             "This Globex phone is terrible, worst purchase ever. Why?"]
    expected = enrich(texts, ["", "en"])
    result = ingest([
        post("1", texts[0]),
        post("2", texts[1], lang="en"),
        post("3", "Rien à voir", hashtags=("#Déjà", "vu")),
    ], source=source)
    assert (result.new, result.duplicate, result.rejected) == (3, 0, 0)
    assert [m.external_id for m in result.mentions] == ["1", "2", "3"]
    first = Mention.objects.get(network="x", external_id="1")
    assert first.source == source and first.post is None
    assert first.hashtags == ["acmerocket", "fusée"]
    # What the one NLP code path says is what is stored (its quality is tested with it).
    for mention, found in zip([first, Mention.objects.get(external_id="2")], expected,
                              strict=True):
        assert (mention.lang, mention.sentiment, mention.sentiment_score,
                mention.sentiment_model, mention.is_question, mention.entities) == (
            found.lang, found.sentiment, found.score, found.model, found.is_question,
            found.entities)
    assert first.lang == "fr" and first.sentiment_model
    assert Mention.objects.get(external_id="3").hashtags == ["déjà", "vu"]


def test_duplicates_collapse_within_a_batch_across_runs_and_across_organisations(
        source, topics, bob, make_topic):
    batch = [post("1", "Acme one"), post("1", "Acme one, again"), post("2", "Globex two")]
    first = ingest(batch, source=source)
    assert (first.new, first.duplicate) == (2, 1)
    assert Mention.objects.get(external_id="1").text == "Acme one"
    again = ingest(batch, source=source)
    assert (again.new, again.duplicate) == (0, 3)
    assert Mention.objects.count() == 2
    assert TopicMatch.objects.count() == 2  # nothing counted twice

    globex = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    theirs = make_topic("Us", "globex", organisation=globex)
    other_source = Source.objects.create(organisation=globex, kind=SourceKind.IMPORT, name="f")
    shared = ingest(batch, source=other_source)
    assert (shared.new, shared.duplicate) == (0, 3)
    assert Mention.objects.count() == 2
    assert list(TopicMatch.objects.filter(topic=theirs).values_list(
        "mention__external_id", flat=True)) == ["2"]
    assert Mention.objects.get(external_id="2").source == source  # the first collector


def test_matches_and_hour_counters(source, topics):
    acme, globex = topics
    ingest([
        post("1", "Acme is wonderful, I love it", at=MORNING),
        post("2", "Acme broke again, awful", at=MORNING + timedelta(minutes=20)),
        post("3", "Acme and Globex side by side", at=MORNING + timedelta(hours=1)),
        post("4", "nothing to see", at=MORNING),
    ], source=source)
    assert set(TopicMatch.objects.filter(topic=acme).values_list(
        "mention__external_id", flat=True)) == {"1", "2", "3"}
    assert list(TopicMatch.objects.filter(topic=globex).values_list(
        "mention__external_id", flat=True)) == ["3"]
    match = TopicMatch.objects.select_related("mention").get(topic=acme,
                                                             mention__external_id="2")
    assert (match.sentiment, match.lang, match.network, match.published_at) == (
        match.mention.sentiment, match.mention.lang, "x", MORNING + timedelta(minutes=20))
    nine = MORNING.replace(minute=0)
    counts = {(s.topic_id, s.hour, s.sentiment): s.count for s in TopicHourStat.objects.all()}
    assert sum(n for (t, h, _), n in counts.items() if t == acme.pk and h == nine) == 2
    assert sum(n for (t, h, _), n in counts.items() if t == acme.pk and h != nine) == 1
    for sentiment in ("negative", "neutral", "positive"):
        assert counts.get((acme.pk, nine, sentiment), 0) == TopicMatch.objects.filter(
            topic=acme, sentiment=sentiment, published_at__lt=nine + timedelta(hours=1)).count()
    assert sum(n for (t, _, _), n in counts.items() if t == globex.pk) == 1


def test_negative_mentions_and_questions_reach_the_inbox(source, topics, organisation):
    ingest([post("1", "Acme customer service is awful, never again"),
            post("2", "Does Acme ship to Canada?"),
            post("3", "Acme is great"),
            post("4", "Globex is awful, why?")], source=source)  # a competitor's: watched only
    negative = {m.external_id for m in Mention.objects.filter(sentiment="negative")}
    items = {i.mention.external_id: i.reason for i in InboxItem.objects.filter(
        organisation=organisation)}
    assert items.pop("2") == "question"
    assert items == {key: "negative" for key in negative - {"2", "4"}}


def test_cursor_is_saved_with_the_last_batch_and_never_without_its_rows(
        source, topics, monkeypatch):
    ingest([post("1", "Acme")], source=source, cursor={"since_id": "1"})
    source.refresh_from_db()
    assert source.cursor == {"since_id": "1"}

    monkeypatch.setattr(ingest_module, "BATCH_SIZE", 2)
    calls = []

    def failing_route(matches):
        calls.append(len(matches))
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr("voliere.listening.inbox.routing.route_matches", failing_route)
    with pytest.raises(RuntimeError):
        ingest([post(str(n), f"Acme number {n}") for n in range(10, 14)], source=source,
               cursor={"since_id": "13"})
    source.refresh_from_db()
    assert source.cursor == {"since_id": "1"}  # the cursor did not move past lost rows
    stored = set(Mention.objects.values_list("external_id", flat=True))
    assert stored == {"1", "10", "11"}  # the first batch committed, the second not at all
    assert not TopicMatch.objects.filter(mention__external_id__in=["12", "13"]).exists()

    monkeypatch.undo()
    again = ingest([post(str(n), f"Acme number {n}") for n in range(10, 14)], source=source,
                   cursor={"since_id": "13"})
    assert (again.new, again.duplicate) == (2, 2)
    source.refresh_from_db()
    assert source.cursor == {"since_id": "13"}


def test_unstorable_posts_are_rejected_with_a_reason(source, topics):
    result = ingest([
        post("1", "Acme fine"),
        post("2", "   "),
        IncomingPost(network="x", external_id="3", text="naive date",
                     published_at=datetime(2024, 1, 1, 12, 0)),  # noqa: DTZ001 — the point
        post("4", "long url", url="https://example.org/" + "a" * 600),
        post("", "no id"),
        post("6", "nul \x00 byte"),
        post("7", "Acme huge audience", author_followers=10**12),
    ], source=source)
    assert (result.new, result.duplicate, result.rejected) == (2, 0, 5)
    assert any("text contains a NUL character" in e for e in result.errors)
    assert Mention.objects.get(external_id="7").author_followers == 2_147_483_647
    assert any("empty text" in e for e in result.errors)
    assert any("time zone" in e for e in result.errors)
    assert any("url longer than 500" in e for e in result.errors)
    assert Mention.objects.count() == 2


def test_a_topic_edit_applies_from_the_next_batch(source, make_topic):
    topic = make_topic("Brand", "acme")
    ingest([post("1", "Globex launches a phone")], source=source)
    assert not TopicMatch.objects.exists()
    type(topic).objects.filter(pk=topic.pk).update(query="globex", query_version=2)
    ingest([post("2", "Globex again")], source=source)
    assert list(TopicMatch.objects.values_list("mention__external_id", flat=True)) == ["2"]


def test_alert_detection_runs_after_commit(source, topics, run_on_commit):
    now = timezone.now() - timedelta(minutes=5)
    with run_on_commit():
        ingest([post("1", "Acme Rocket review is up", at=now, author_handle="star",
                     author_followers=2_000_000)], source=source)
    assert Alert.objects.filter(topic=topics[0], kind=AlertKind.HIGH_REACH).count() == 1


def test_queries_do_not_grow_with_the_batch(source, topics):
    def count(first: int, size: int) -> int:
        posts = [post(str(n), f"Acme post {n}" + (" awful" if n % 3 else " great"),
                      at=MORNING + timedelta(minutes=n % 50)) for n in range(first, first + size)]
        with CaptureQueriesContext(connection) as queries:
            ingest(posts, source=source)
        # Bulk INSERTs are split by the driver's parameter limit (SQLite: 999), not per row.
        return sum(1 for q in queries if not q["sql"].startswith("INSERT"))

    count(0, 5)  # warm the topic matcher cache
    assert count(1000, 10) == count(2000, 300)


def test_hashtags_are_words_after_a_hash():
    assert extract_hashtags("#Acme #acme page#x #1 #Été, go#no (#Fusée)") == (
        "acme", "été", "fusée")
