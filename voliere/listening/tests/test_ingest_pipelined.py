"""`ingest_pipelined`: the enrichment runs in a spawned process ahead of the writer, and
what ends up in the database is exactly what `ingest()` stores."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Count, Sum

from voliere.listening.ingest import bulk_gc, ingest, ingest_pipelined
from voliere.listening.models import (
    InboxItem,
    Mention,
    Source,
    SourceKind,
    TopicHourStat,
    TopicMatch,
)
from voliere.listening.records import IncomingPost

START = datetime(2024, 3, 5, 9, 15, tzinfo=UTC)
TEXTS = [
    ("Acme Rocket is wonderful, thank you! #AcmeRocket", "", ()),
    ("Worst purchase ever, my Acme broke after a week. Awful.", "en", ()),
    ("Quelqu'un sait si Acme livre à Lyon ?", "", ()),
    ("Le service client Acme ne répond jamais, c'est honteux", "fr", ("AcmeFail",)),
    ("Globex launched a new anvil today", "", ()),
    ("Nothing to do with any brand, just the weather", "", ()),
    ("Acme et Globex au salon de Paris avec Marie Curie", "fr", ()),
]
STORED = ("text", "lang", "sentiment", "sentiment_score", "sentiment_model", "entities",
          "is_question", "is_reply", "hashtags", "author_handle", "author_followers",
          "published_at", "post_id")


def posts(network: str) -> list[IncomingPost]:
    return [IncomingPost(network=network, external_id=str(n), text=text, lang=lang,
                         hashtags=hashtags, author_handle=f"user{n}", author_followers=n * 7,
                         published_at=START + timedelta(minutes=37 * n))
            for n, (text, lang, hashtags) in enumerate(TEXTS)]


@pytest.fixture
def source(organisation) -> Source:
    return Source.objects.create(organisation=organisation, kind=SourceKind.IMPORT, name="bulk")


@pytest.fixture
def topics(make_topic):
    return (make_topic("Acme", "acme OR #acmerocket"),
            make_topic("Globex", "globex", kind="competitor"),
            make_topic("Paris", "paris lang:fr"))


def _by_topic(network: str) -> dict[int, int]:
    return dict(TopicMatch.objects.filter(network=network).values_list("topic_id")
                .annotate(n=Count("id")))


def test_pipelined_stores_what_ingest_stores(source, topics):
    ingest(posts("a"), source=source)
    batch = posts("b")
    rejected = IncomingPost(network="b", external_id="bad", text="   ", published_at=START)
    result = ingest_pipelined([*batch, batch[0], rejected], source=source,
                              cursor={"page": 3}, workers=1, batch_size=3)

    assert (result.new, result.duplicate, result.rejected) == (len(TEXTS), 1, 1)
    assert result.errors == ["b:bad: empty text"]
    in_process = list(Mention.objects.filter(network="a").order_by("pk").values_list(*STORED))
    pipelined = list(Mention.objects.filter(network="b").order_by("pk").values_list(*STORED))
    assert pipelined == in_process
    assert {row[2] for row in pipelined} == {"negative", "neutral", "positive"}
    assert any(row[6] for row in pipelined) and any(row[5] for row in pipelined)

    assert _by_topic("b") == _by_topic("a") and len(_by_topic("b")) == 3
    # every match carries its own mention's copies (ids came back from the INSERT)
    for match in TopicMatch.objects.filter(network="b").select_related("mention"):
        mention = match.mention
        assert (match.published_at, match.sentiment, match.lang, match.author_followers) == (
            mention.published_at, mention.sentiment, mention.lang, mention.author_followers)
    assert (TopicHourStat.objects.aggregate(n=Sum("count"))["n"]
            == TopicMatch.objects.count())
    inbox = sorted(InboxItem.objects.values_list("mention__network", "mention__external_id",
                                                 "reason"))
    assert [row[1:] for row in inbox if row[0] == "b"] == [
        row[1:] for row in inbox if row[0] == "a"] != []
    source.refresh_from_db()
    assert source.cursor == {"page": 3}
    assert [m.external_id for m in result.mentions] == ["6", "0"]  # the last batch's
    assert all(Mention.objects.filter(pk=m.pk, network="b").exists() for m in result.mentions)


def test_pipelined_run_again_finds_only_duplicates(source, topics):
    ingest_pipelined(posts("c"), source=source, workers=1, batch_size=4)
    matches = TopicMatch.objects.count()
    again = ingest_pipelined(posts("c"), source=source, workers=1, batch_size=4)
    assert (again.new, again.duplicate) == (0, len(TEXTS))
    assert TopicMatch.objects.count() == matches
    assert TopicHourStat.objects.aggregate(n=Sum("count"))["n"] == matches


def test_bulk_gc_quiets_the_collector_and_restores_it():
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    with bulk_gc():
        assert gc.get_freeze_count() > frozen
        assert gc.get_threshold()[0] >= 20_000
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == frozen
    with pytest.raises(RuntimeError), bulk_gc():
        raise RuntimeError("import failed")
    assert (gc.get_threshold(), gc.get_freeze_count()) == (thresholds, frozen)
