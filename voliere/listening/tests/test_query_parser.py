"""The listening query parser: every construct, and every mistake with its message and
0-based position."""

from __future__ import annotations

import pytest

from voliere.core.exceptions import InvalidInput
from voliere.listening.query import (
    And,
    Field,
    Handle,
    Hashtag,
    Not,
    Or,
    Phrase,
    QuerySyntaxError,
    Term,
    parse,
)


@pytest.mark.parametrize(("text", "tree"), [
    ("acme", Term("acme")),
    ("ACMÉ", Term("acme")),
    ("launch*", Term("launch", prefix=True)),
    ('"Acme Cloud"', Phrase(("acme", "cloud"))),
    ("e-mail", Phrase(("e", "mail"))),
    ("l'Oréal", Phrase(("l", "oreal"))),
    ("#AcmeCloud", Hashtag("acmecloud")),
    ("#café", Hashtag("cafe")),
    ("@Acme", Handle("acme")),
    ("@acme@mastodon.social", Handle("acme@mastodon.social")),
    ("@acme.bsky.social", Handle("acme.bsky.social")),
    ("acme cloud", And((Term("acme"), Term("cloud")))),
    ("acme AND cloud", And((Term("acme"), Term("cloud")))),
    ("acme OR globex", Or((Term("acme"), Term("globex")))),
    ("acme and or", And((Term("acme"), Term("and"), Term("or")))),
    ("NOT jobs", Not(Term("jobs"))),
    ("-jobs", Not(Term("jobs"))),
    ('-"open space"', Not(Phrase(("open", "space")))),
    ("-(a b)", Not(And((Term("a"), Term("b"))))),
    ("a b OR c", Or((And((Term("a"), Term("b"))), Term("c")))),
    ("a (b OR c)", And((Term("a"), Or((Term("b"), Term("c")))))),
    ("NOT a b", And((Not(Term("a")), Term("b")))),
    ("a OR b -c", Or((Term("a"), And((Term("b"), Not(Term("c"))))))),
    ("lang:FR", Field("lang", "fr")),
    ("from:@Alice", Field("from", "alice")),
    ("from:alice@social.example", Field("from", "alice@social.example")),
    ("source:twitter", Field("source", "x")),
    ("source:Mastodon:social.example", Field("source", "mastodon:social.example")),
    ("source:rss source:internal source:bluesky source:csv",
     And((Field("source", "rss"), Field("source", "internal"), Field("source", "bluesky"),
          Field("source", "csv")))),
    ("((acme))", Term("acme")),
])
def test_parses_every_construct(text: str, tree: object) -> None:
    assert parse(text).root == tree


def test_canonical_text_reads_back_to_the_same_tree() -> None:
    query = parse('Acmé cloud OR "big launch" -source:rss NOT (jobs OR hiring) lang:fr')
    assert query.canonical == ('(acme AND cloud) OR ("big launch" AND NOT source:rss AND '
                               "NOT (jobs OR hiring) AND lang:fr)")
    assert parse(query.canonical).root == query.root


@pytest.mark.parametrize(("text", "message", "position"), [
    ("", "empty query", 0),
    ("   ", "empty query", 0),
    ('acme "open space', "unclosed quote at 5", 5),
    ('acme ""', "empty phrase at 5", 5),
    ('acme "!!"', "empty phrase at 5", 5),
    ("acme NOT", "expected a term after NOT at 5", 5),
    ("acme NOT )", "expected a term after NOT at 5", 5),
    ("acme - jobs", "expected a term after '-' at 5", 5),
    ("acme -", "expected a term after '-' at 5", 5),
    ("acme AND", "expected a term after AND at 5", 5),
    ("acme OR", "expected a term after OR at 5", 5),
    ("acme OR OR b", "expected a term after OR at 5", 5),
    ("OR acme", "expected a term before OR at 0", 0),
    ("(AND acme)", "expected a term before AND at 1", 1),
    ("(acme OR b", "unbalanced parenthesis: '(' at 0 is never closed", 0),
    ("x (", "unbalanced parenthesis: '(' at 2 is never closed", 2),
    ("acme) b", "unbalanced parenthesis at 4", 4),
    (")", "unbalanced parenthesis at 0", 0),
    ("acme ()", "empty parentheses at 5", 5),
    ("acme foo:bar", "unknown field 'foo:' at 5", 5),
    ("https://acme.example", "unknown field 'https:' at 0", 0),
    ("lang:", "expected a value after 'lang:' at 5", 5),
    ("a lang:french", "expected a language code such as 'fr' or 'en' at 7", 7),
    ("from:not/a/handle", "expected a handle after 'from:' at 5", 5),
    ("source:facebook", "unknown source at 7", 7),
    ("#", "expected a hashtag name (letters, digits, _) after '#' at 0", 0),
    ("a #b-c", "expected a hashtag name (letters, digits, _) after '#' at 2", 2),
    ("@", "expected a handle after '@' at 0", 0),
    ("la*nch", "'*' may only end a word, at 2", 2),
    ("l*", "a prefix needs at least 2 characters before '*' at 0", 0),
    ("!!!", "expected a word (letters or digits) at 0", 0),
    ("(" * 41 + "a" + ")" * 41, "query nested too deeply at 40", 40),
    ("a " * 1001, "query longer than 2000 characters at 2000", 2000),
])
def test_mistakes_name_their_nature_and_position(text: str, message: str,
                                                 position: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(text)
    assert caught.value.message.startswith(message)
    assert caught.value.position == position
    assert caught.value.field == "query"
    assert isinstance(caught.value, InvalidInput)


def test_unknown_field_message_says_how_to_search_the_text() -> None:
    with pytest.raises(QuerySyntaxError, match="put text in quotes"):
        parse("foo:bar")
    assert parse('"foo:bar"').root == Phrase(("foo", "bar"))
