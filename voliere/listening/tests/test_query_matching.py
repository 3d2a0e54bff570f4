"""Matching agrees with a brute-force evaluator written here, independently of the
matcher: it walks the syntax tree over the post's word LIST (no sets, no prefilter, no
memoized folding). Hypothesis draws random trees over a small vocabulary (so that posts
often contain the words), prints them, parses them back, and compares."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from voliere.listening.pipeline.matching import MatchDoc, compile_node, compile_topics
from voliere.listening.query import (
    And,
    Field,
    Handle,
    Hashtag,
    Node,
    Not,
    Or,
    Phrase,
    Term,
    parse,
    to_text,
)

WORDS = ["acme", "cloud", "creme", "ete", "launch", "launched", "jobs", "x1"]
# How a word may be written in a post: case, accents, compatibility forms.
SPELLINGS = {
    "acme": ["acme", "ACME", "Acmé"], "cloud": ["cloud", "Cloud"], "creme": ["crème", "CRÈME"],
    "ete": ["été", "Ete"], "launch": ["launch", "LAUNCH"], "launched": ["launched"],
    "jobs": ["jobs", "Jobs"], "x1": ["x1", "X1"],
}
HANDLES = ["acme", "bob", "acme@social.example"]
NETWORKS = ["x", "bluesky", "internal", "mastodon:social.example", "rss:ab12", "csv:crm"]


def brute_fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class Post:
    text: str
    hashtags: list[str]
    author: str
    lang: str
    network: str

    def words(self) -> list[str]:
        return [brute_fold(w) for w in re.findall(r"[^\W_]+", self.text)]

    def tags(self) -> set[str]:
        found = re.findall(r"(?:^|[\s(])#(\w+)", self.text)
        return {brute_fold(t) for t in found + self.hashtags}

    def mentions(self) -> set[str]:
        names = set()
        for local, host in re.findall(r"(?:^|[\s(])@(\w+)(?:@([\w.]+\w))?", self.text):
            names.add(brute_fold(local))
            if host:
                names.add(brute_fold(f"{local}@{host}"))
        return names


def evaluate(node: Node, post: Post) -> bool:
    words = post.words()
    match node:
        case Term(word, prefix):
            return any(w.startswith(word) if prefix else w == word for w in words)
        case Phrase(phrase):
            n = len(phrase)
            return any(tuple(words[i:i + n]) == phrase for i in range(len(words)))
        case Hashtag(name):
            return name in post.tags()
        case Handle(name):
            return name in post.mentions()
        case Field("lang", value):
            return post.lang.lower().split("-")[0] == value
        case Field("from", value):
            author = brute_fold(post.author)
            return author == value or ("@" not in value and author.split("@")[0] == value)
        case Field("source", value):
            return post.network == value or post.network.split(":")[0] == value
        case Not(operand):
            return not evaluate(operand, post)
        case And(operands):
            return all(evaluate(o, post) for o in operands)
        case Or(operands):
            return any(evaluate(o, post) for o in operands)
    raise AssertionError(node)


leaves = st.one_of(
    st.builds(Term, st.sampled_from(WORDS)),
    st.builds(lambda w, n: Term(w[:n], prefix=True), st.sampled_from(WORDS),
              st.integers(2, 5)).filter(lambda t: t.word.isalnum() and len(t.word) >= 2),
    st.builds(Phrase, st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(tuple)),
    st.builds(Hashtag, st.sampled_from(WORDS)),
    st.builds(Handle, st.sampled_from(HANDLES)),
    st.builds(Field, st.just("lang"), st.sampled_from(["en", "fr"])),
    st.builds(Field, st.just("from"), st.sampled_from(HANDLES)),
    st.builds(Field, st.just("source"),
              st.sampled_from(["x", "bluesky", "internal", "mastodon", "rss", "csv",
                               "mastodon:social.example"])),
)
trees = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.builds(And, st.lists(inner, min_size=2, max_size=4).map(tuple)),
        st.builds(Or, st.lists(inner, min_size=2, max_size=4).map(tuple)),
    ),
    max_leaves=12,
)


@st.composite
def posts(draw: st.DrawFn) -> Post:
    parts = []
    # A few words per post, repeated: phrases, orders and adjacency then vary a lot.
    vocabulary = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4, unique=True))
    for _ in range(draw(st.integers(0, 12))):
        word = draw(st.sampled_from(vocabulary))
        spelled = draw(st.sampled_from(SPELLINGS[word]))
        prefix = draw(st.sampled_from(["", "", "", "#", "@", "("]))
        suffix = draw(st.sampled_from(["", "", ",", "!", "'s", "-", "@social.example"]))
        parts.append(prefix + spelled + suffix)
    return Post(
        text=" ".join(parts),
        hashtags=draw(st.lists(st.sampled_from(WORDS), max_size=2)),
        author=draw(st.sampled_from(["bob", "BOB", "acme", "acme@social.example", "zed"])),
        lang=draw(st.sampled_from(["en", "fr", "FR-ca", ""])),
        network=draw(st.sampled_from(NETWORKS)),
    )


def doc_of(post: Post) -> MatchDoc:
    return MatchDoc(post.text, post.hashtags, post.author, post.lang, post.network)


@given(trees)
@settings(max_examples=300)
def test_printed_tree_parses_back_to_itself(tree: Node) -> None:
    assert parse(to_text(tree)).root == tree


@given(trees, posts())
@settings(max_examples=400)
def test_compiled_query_agrees_with_brute_force(tree: Node, post: Post) -> None:
    assert compile_node(tree)(doc_of(post).prepared()) == evaluate(tree, post)


@given(st.lists(trees, min_size=1, max_size=8), st.lists(posts(), min_size=1, max_size=5))
@settings(max_examples=200)
def test_topic_matcher_with_its_prefilter_finds_exactly_the_matching_topics(
    queries: list[Node], batch: list[Post],
) -> None:
    matcher = compile_topics((n, to_text(tree)) for n, tree in enumerate(queries))
    for post in batch:
        expected = [n for n, tree in enumerate(queries) if evaluate(tree, post)]
        assert matcher.match(doc_of(post)) == expected
        if expected:  # the cheap text prefilter never rejects a matching post
            assert matcher.might_match(post.text, post.hashtags)


def test_text_prefilter_rejects_posts_without_any_trigger_word() -> None:
    matcher = compile_topics([(1, '"acme cloud" OR #globex OR @initech OR launch*')])
    assert not matcher.might_match("nothing to see", ())
    assert matcher.might_match("ACMÉ CLOÛD", ())
    assert matcher.might_match("nothing", ["Globex"])
    assert matcher.might_match("launched", ())
    assert compile_topics([(1, "acme lang:fr"), (2, "NOT x")]).might_match("zzz", ())
    assert compile_topics([(1, "acme OR lang:fr")]).might_match("zzz", ())


def test_examples_of_matching() -> None:
    matcher = compile_topics([
        (1, "acme -jobs"), (2, '"acme cloud"'), (3, "#acmecloud OR @acme"),
        (4, "launch* lang:fr"), (5, "from:bob source:mastodon"), (6, "NOT acme"),
    ])
    doc = MatchDoc("Le nouveau ACMÉ Cloud est lancé… #AcmeCloud", [], "bob@social.example",
                   "fr", "mastodon:social.example")
    assert matcher.match(doc) == [1, 2, 3, 5]
    assert matcher.match(MatchDoc("Launching soon, cloud by acme", (), "zed", "fr", "x")) == [
        1, 4]
    assert matcher.match(MatchDoc("acme jobs: we hire", (), "zed", "en", "x")) == []
    assert matcher.match(MatchDoc("acmecloud is nice", (), "zed", "en", "x")) == [6]
    assert matcher.match(MatchDoc("thanks @Acme!", (), "zed", "en", "rss:1")) == [1, 3]
    assert matcher.match(MatchDoc("cloud acme", (), "zed", "en", "x")) == [1]
    assert matcher.match(MatchDoc("acme, the cloud", (), "zed", "en", "x")) == [1]
