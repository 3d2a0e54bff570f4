"""Each importer on a sample file in its real format (written from the formats'
documentation), with malformed lines, duplicates, missing fields, bad dates and bytes that
are not UTF-8; run in-process through the same runner as `voliere listen import`."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from voliere.listening.importers import runner as runner_module
from voliere.listening.importers.base import ReaderOptions, UnreadableFile
from voliere.listening.importers.csv_import import parse_mapping
from voliere.listening.importers.runner import print_topic_report, run_import, topic_report
from voliere.listening.models import ImportRun, Mention, Source, SourceKind, TopicMatch

DATA = Path(__file__).parent / "data" / "import"
CSV_MAP = ("id=tweet_id,text=content,published_at=date,author_handle=user,"
           "author_followers=followers,lang=language")


@pytest.fixture
def source(organisation) -> Source:
    return Source.objects.create(organisation=organisation, kind=SourceKind.IMPORT, name="f")


def run(source: Source, fmt: str, name: str, *, path: Path | None = None, **options):
    errors: list[str] = []
    path = path or DATA / name
    outcome = run_import(path=path, fmt=fmt, source=source,
                         options=ReaderOptions(path=path, **options), report=errors.append,
                         keep_mention_ids=True)
    return outcome, errors


def counts(outcome) -> tuple[int, int, int]:
    return outcome.new, outcome.duplicate, outcome.rejected


def test_tweets_js_archive(source):
    outcome, errors = run(source, "tweets-js", "tweets.js")
    assert counts(outcome) == (4, 1, 2)
    assert errors == ['record 6: missing "created_at"',
                      'record 7: bad date in "created_at": "le 8 mars vers midi"']
    reply = Mention.objects.get(network="x", external_id="1765012345678901003")
    assert reply.is_reply and reply.lang == "en"
    assert reply.author_handle == "camille_m" and reply.author_name == "Camille Martin"
    assert reply.url == "https://x.com/camille_m/status/1765012345678901003"
    first = Mention.objects.get(external_id="1765012345678901001")
    assert first.published_at == datetime(2024, 3, 5, 9, 12, 31, tzinfo=UTC)
    assert first.hashtags == ["acmerocket"]


def test_tweets_js_that_is_not_an_archive_is_refused_before_writing(source, tmp_path):
    bad = tmp_path / "tweets.js"
    bad.write_text('{"tweet": 1}')
    with pytest.raises(UnreadableFile, match="window.YTD"):
        run(source, "tweets-js", "", path=bad)
    assert not ImportRun.objects.exists()


def test_twarc2_response_pages(source):
    outcome, errors = run(source, "twarc2", "twarc2_pages.jsonl")
    assert counts(outcome) == (4, 1, 3)
    assert errors[0].startswith("line 2: not JSON (")
    assert errors[1:] == ['line 3, tweet 3: missing "created_at"',
                          'line 4: an API error response (no "data")']
    review = Mention.objects.get(external_id="1766000000000000001")
    assert (review.author_handle, review.author_followers) == ("techreviewer", 120000)
    assert review.hashtags == ["acmerocket"]
    assert Mention.objects.get(external_id="1766000000000000003").is_reply


def test_twarc2_flattened_tweets_dedup_against_pages(source):
    run(source, "twarc2", "twarc2_pages.jsonl")
    outcome, errors = run(source, "twarc2", "twarc2_flat.jsonl")
    assert counts(outcome) == (1, 3, 2)
    assert errors[0].startswith("line 5: not UTF-8 (byte 0xe9 at character ")
    assert errors[1] == 'line 7: missing "text"'
    flat = Mention.objects.get(external_id="1766000000000000007")
    assert (flat.author_handle, flat.author_name) == ("jdupont", "Jeanne Dupont")


def test_4cat_ndjson(source):
    outcome, errors = run(source, "4cat", "fourcat.ndjson")
    assert counts(outcome) == (3, 1, 4)
    assert errors[:3] == ['line 5: missing "timestamp"',
                          'line 6: bad date in "timestamp": "2024-13-45 99:00:00"',
                          "line 7: not a JSON object"]
    assert errors[3].startswith("line 8: not JSON (")
    reply = Mention.objects.get(network="x", external_id="1767000000000000002")
    assert reply.is_reply and reply.author_name == "Lucie B." and reply.lang == "fr"
    reddit = Mention.objects.get(network="4cat:reddit")
    assert reddit.external_id == "t3_1b9xk2q" and not reddit.is_reply
    assert Mention.objects.get(external_id="1767000000000000001").hashtags == [
        "acmerocket", "unboxing"]


def test_csv_with_a_column_mapping(source):
    outcome, errors = run(source, "csv", "mentions.csv", mapping=parse_mapping(CSV_MAP))
    assert counts(outcome) == (3, 1, 4)
    assert errors[:3] == ['line 7: missing "date"',
                          "line 8: bad number in \"followers\": 'beaucoup'",
                          'line 9: missing "tweet_id"']
    assert errors[3].startswith('line 10: "content": not UTF-8 (byte 0xe9')
    marc = Mention.objects.get(network="csv:mentions", external_id="9001")
    assert (marc.author_handle, marc.author_followers, marc.lang) == ("marc_l", 1200, "fr")
    assert Mention.objects.get(external_id="9003").text == (
        "Une question : la Rocket marche-t-elle avec\nle chargeur Globex ?")


def test_csv_network_option_dedups_against_tweets(source):
    run(source, "csv", "mentions.csv", mapping=parse_mapping(CSV_MAP), network="x")
    assert Mention.objects.filter(network="x").count() == 3


@pytest.mark.parametrize(("spec", "message"), [
    ("id=tweet_id,text", "'text' is not field=column"),
    ("id=a,colour=b", "unknown field 'colour'"),
    ("id=a,id=b", "mapped twice"),
])
def test_bad_mappings_are_explained(spec, message):
    with pytest.raises(ValueError, match=message):
        parse_mapping(spec)


def test_csv_mapping_to_missing_columns_is_refused(source):
    with pytest.raises(UnreadableFile, match="no column 'body'"):
        run(source, "csv", "mentions.csv", mapping={"id": "tweet_id", "text": "body",
                                                   "published_at": "date"})
    with pytest.raises(UnreadableFile, match="no column for id, text, published_at"):
        run(source, "csv", "mentions.csv")


@pytest.mark.parametrize(("fmt", "name", "options"), [
    ("tweets-js", "tweets.js", {}),
    ("twarc2", "twarc2_pages.jsonl", {}),
    ("4cat", "fourcat.ndjson", {}),
    ("csv", "mentions.csv", {"mapping": parse_mapping(CSV_MAP)}),
])
def test_importing_the_same_file_twice_adds_nothing(source, fmt, name, options):
    first, _ = run(source, fmt, name, **options)
    stored = Mention.objects.count()
    second, errors = run(source, fmt, name, **options)
    assert (second.new, second.duplicate) == (0, first.new + first.duplicate)
    assert second.rejected == first.rejected and len(errors) == first.rejected
    assert Mention.objects.count() == stored
    assert ImportRun.objects.filter(finished_at__isnull=False).count() == 2


def test_an_interrupted_import_resumes_without_losing_or_doubling(source, tmp_path,
                                                                  monkeypatch):
    lines = [
        f'{{"id": "{n}", "text": "Acme post {n}", "created_at": "2024-03-0{1 + n % 9}T10:00:00Z",'
        f' "author": {{"username": "u{n % 7}"}}}}' for n in range(1, 51)
    ]
    lines.insert(20, "not json")
    big = tmp_path / "flat.jsonl"
    big.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(runner_module, "BATCH_SIZE", 8)
    shown: list[int] = []

    class Interrupting(runner_module.Progress):
        def update(self, *, records, **counts):
            shown.append(records)
            if len(shown) == 3:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_import(path=big, fmt="twarc2", source=source, options=ReaderOptions(path=big),
                   report=lambda line: None, progress=Interrupting(io.StringIO(), 1))
    interrupted = ImportRun.objects.get()
    assert interrupted.finished_at is None and interrupted.records_done == 25
    assert Mention.objects.count() == 24  # 25 records, one of them rejected

    errors: list[str] = []
    resumed = run_import(path=big, fmt="twarc2", source=source,
                         options=ReaderOptions(path=big), report=errors.append)
    assert resumed.run == interrupted and resumed.resumed_from == 25
    assert counts(resumed) == (50, 0, 1)
    assert errors == []  # the rejected line was reported by the first run
    assert Mention.objects.count() == 50
    assert sorted(map(int, Mention.objects.values_list("external_id", flat=True))) == list(
        range(1, 51))


def test_topic_report_counts_matches_and_sentiment_shares(source, make_topic):
    make_topic("Acme", "acme")
    make_topic("Globex", "globex", kind="competitor")
    make_topic("Initech", "initech", kind="competitor")
    outcome, _ = run(source, "twarc2", "twarc2_pages.jsonl")
    lines = {line.name: line for line in topic_report(source, outcome.mention_ids)}
    assert lines["Acme"].matches == TopicMatch.objects.filter(topic__name="Acme").count() == 4
    assert lines["Globex"].matches == 1
    assert lines["Initech"].matches == 0
    assert sum(lines["Acme"].shares.values()) == pytest.approx(1.0)
    out = io.StringIO()
    print_topic_report(list(lines.values()), out)
    assert "  Initech: 0 matches (negative 0%, neutral 0%, positive 0%)" in out.getvalue()


def test_progress_is_a_bar_on_a_terminal_and_lines_otherwise():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        progress = runner_module.Progress(stream, 1000)
        progress.update(position=250, records=500, new=400, duplicate=90, rejected=10)
        progress.update(position=500, records=1000, new=800, duplicate=180, rejected=20)
        progress.update(position=1000, records=2000, new=1600, duplicate=380, rejected=20,
                        force=True)
    assert terminal.getvalue().startswith("\r\033[K[#######                       ]  25% 500 "
                                          "records (400 new, 90 duplicate, 10 rejected)")
    assert "\r\033[K[##############################] 100% 2,000 records" in terminal.getvalue()
    assert "\n" not in terminal.getvalue()
    lines = pipe.getvalue().splitlines()
    assert len(lines) == 2  # the first batch, then the final one (forced); not every batch
    assert lines[0].startswith("progress: 500 records (400 new, 90 duplicate, 10 rejected) ")
    assert lines[1].startswith("progress: 2,000 records (1,600 new, 380 duplicate, 20 rejected)")
