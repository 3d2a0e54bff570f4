"""The query language: filters, phrases, exclusions, and errors that say what and where."""

import datetime

import pytest

from voliere.search.parser import QuerySyntaxError, parse


def test_words_phrases_exclusions_and_filters():
    parsed = parse(
        'Réunion "release notes" -coffee -"open space" #Python from:@alice in:Design-Team '
        "lang:fr-FR since:2026-01-31 until:2026-02-28 has:media is:validated"
    )
    assert [p.words for p in parsed.required] == [("Réunion",), ("release", "notes")]
    assert [p.words for p in parsed.excluded] == [("coffee",), ("open", "space")]
    assert parsed.tags == ["python"]
    assert parsed.from_handle == "alice"
    assert parsed.community_slug == "design-team"
    assert parsed.language == "fr"
    assert parsed.since == datetime.date(2026, 1, 31)
    assert parsed.until == datetime.date(2026, 2, 28)
    assert parsed.has_media and parsed.is_validated


def test_punctuation_separates_words_and_fts_syntax_is_only_text():
    parsed = parse("NEAR(budget, roadmap) AND OR ^col: {x} (y)")
    words = [p.words[0] for p in parsed.required]
    assert words == ["NEAR", "budget", "roadmap", "AND", "OR", "col", "x", "y"]


def test_urls_are_text_not_filters():
    parsed = parse("https://example.org/x")
    assert [p.words[0] for p in parsed.required] == ["https", "example", "org", "x"]


def test_variants_cover_both_languages():
    (phrase,) = parse("running").required
    assert phrase.variants == (("run", "running"),)
    (phrase,) = parse("Réunions").required
    assert phrase.variants == (("reunion",),)


@pytest.mark.parametrize(
    ("query", "position", "fragment"),
    [
        ('budget "release notes', 8, "never closed"),
        ("budget color:red", 8, "Unknown filter “color:”"),
        ("since:2026-02-30 x", 1, "not a date"),
        ("x until:yesterday", 3, "YYYY-MM-DD"),
        ("x since:2026-2-3", 3, "YYYY-MM-DD"),
        ("x from:", 3, "a value must follow"),
        ("x from:not/a/handle", 3, "not a handle"),
        ("x has:pictures", 3, "has:media"),
        ("x is:great", 3, "is:validated"),
        ("x lang:french1", 3, "language code"),
        ("budg*", 5, "Wildcards"),
        ('"budg* x"', 6, "Wildcards"),
        ("x -from:alice", 3, "cannot exclude"),
        ("x from:a from:b", 10, "appears twice"),
        ("x since:2026-03-01 until:2026-02-01", 1, "after"),
    ],
)
def test_errors_name_the_problem_and_its_position(query, position, fragment):
    with pytest.raises(QuerySyntaxError) as raised:
        parse(query)
    assert raised.value.position == position
    assert fragment in raised.value.message
    assert raised.value.status == 400


def test_too_long_and_too_many_words():
    with pytest.raises(QuerySyntaxError, match="at most 500 characters"):
        parse("a" * 501)
    with pytest.raises(QuerySyntaxError, match="at most 24 words"):
        parse(" ".join(["word"] * 25))


def test_nul_characters_are_spaces():
    assert [p.words for p in parse("a\x00b").required] == [("a",), ("b",)]
