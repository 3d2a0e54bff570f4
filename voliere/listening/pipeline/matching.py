"""Matching collected posts against an organisation's topics, fast enough for every post.

`compile_topics` turns each topic's query into a closure over a `PreparedDoc` (the post
folded and split ONCE: a token list for phrases, a token set, hashtags, mentions), and
computes for each query a *trigger*: a set of keys (words, "#tag", "@handle", "*pr" for
a two-character prefix) at least one of which every matching post must contain, or None
when no such set exists (a query that is only `NOT x` or `lang:fr`). An inverted index
from keys to topics then selects, by one set intersection, the few topics worth
evaluating for a post; topics without a trigger are evaluated on every post.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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
)
from voliere.listening.query.normalize import (
    HASHTAG_RE,
    MENTION_RE,
    fold,
    fold_name,
    lower_nfc,
    words_of,
)

if TYPE_CHECKING:
    from voliere.listening.models import Mention


class PreparedDoc:
    """A post as the compiled queries read it (all strings folded). A plain slotted class:
    it is built for every incoming post, and a frozen dataclass costs more to build."""

    __slots__ = ("author", "hashtags", "lang", "mentions", "network", "token_set", "tokens")

    def __init__(self, *, tokens: tuple[str, ...], hashtags: frozenset[str],
                 mentions: frozenset[str], author: str, lang: str, network: str) -> None:
        self.tokens = tokens
        self.token_set = frozenset(tokens)
        self.hashtags = hashtags
        self.mentions = mentions
        self.author = author
        self.lang = lang
        self.network = network


@dataclass(slots=True)
class MatchDoc:
    """What matching needs from a post. `hashtags` may be empty: tags in the text count
    too. The prepared form is cached, so several organisations' matchers (internal posts)
    fold and split the text once."""

    text: str
    hashtags: Iterable[str] = ()
    author_handle: str = ""
    lang: str = ""
    network: str = ""
    _prepared: PreparedDoc | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_mention(cls, mention: Mention) -> MatchDoc:
        return cls(mention.text, mention.hashtags or (), mention.author_handle,
                   mention.lang, mention.network)

    def prepared(self) -> PreparedDoc:
        if self._prepared is None:
            self._prepared = prepare(self)
        return self._prepared


def prepare(doc: MatchDoc) -> PreparedDoc:
    lowered = lower_nfc(doc.text)
    hashtags = {fold_name(tag.casefold()).lstrip("#") for tag in doc.hashtags}
    mentions: set[str] = set()
    if "#" in lowered:
        hashtags.update(map(fold_name, HASHTAG_RE.findall(lowered)))
    if "@" in lowered:
        for local, host in MENTION_RE.findall(lowered):
            local = fold_name(local)
            mentions.add(local)
            if host:
                mentions.add(f"{local}@{fold_name(host)}")
    return PreparedDoc(
        tokens=tuple(words_of(lowered)), hashtags=frozenset(hashtags),
        mentions=frozenset(mentions), author=fold_name(doc.author_handle.casefold()).lstrip("@"),
        lang=doc.lang.lower().split("-")[0], network=doc.network.lower(),
    )


# Prefix triggers are indexed on up to this many leading characters of the prefix.
PREFIX_KEY = 4

Predicate = Callable[[PreparedDoc], bool]


def compile_node(node: Node) -> Predicate:
    """A closure answering whether a prepared post matches `node`."""
    match node:
        case Term(word, False):
            return lambda doc: word in doc.token_set
        case Term(word, True):
            return _prefix(word)
        case Phrase(words) if len(words) == 1:
            return compile_node(Term(words[0]))
        case Phrase(words):
            return _phrase(words)
        case Hashtag(name):
            return lambda doc: name in doc.hashtags
        case Handle(name):
            return lambda doc: name in doc.mentions
        case Field("lang", value):
            return lambda doc: doc.lang == value
        case Field("from", value):
            return _author(value)
        case Field("source", value):
            return lambda doc: doc.network == value or doc.network.startswith(value + ":")
        case Not(operand):
            inner = compile_node(operand)
            return lambda doc: not inner(doc)
        case And(operands):
            return _all([compile_node(operand) for operand in operands])
        case Or(operands):
            return _any([compile_node(operand) for operand in operands])
    raise TypeError(f"cannot compile {node!r}")


def _prefix(start: str) -> Predicate:
    def match(doc: PreparedDoc) -> bool:
        for token in doc.token_set:
            if token.startswith(start):
                return True
        return False

    return match


def _phrase(words: tuple[str, ...]) -> Predicate:
    first, size, wanted = words[0], len(words), set(words)

    def match(doc: PreparedDoc) -> bool:
        if not wanted <= doc.token_set:
            return False
        tokens = doc.tokens
        for start in range(len(tokens) - size + 1):
            if tokens[start] == first and tokens[start:start + size] == words:
                return True
        return False

    return match


def _author(value: str) -> Predicate:
    """`from:alice` matches "alice" and "alice@any.instance"; `from:alice@host` only it."""
    if "@" in value:
        return lambda doc: doc.author == value
    with_host = value + "@"
    return lambda doc: doc.author == value or doc.author.startswith(with_host)


def _all(predicates: list[Predicate]) -> Predicate:
    def match(doc: PreparedDoc) -> bool:
        for predicate in predicates:
            if not predicate(doc):
                return False
        return True

    return match


def _any(predicates: list[Predicate]) -> Predicate:
    def match(doc: PreparedDoc) -> bool:
        for predicate in predicates:
            if predicate(doc):
                return True
        return False

    return match


def trigger(node: Node) -> frozenset[str] | None:
    """Keys one of which every post matching `node` contains, or None if there are none.

    Keys: a word; "#tag"; "@handle"; "*" + the first `PREFIX_KEY` (or fewer) characters of
    a prefix; "from:handle"; "lang:xx"; "source:network". `doc_has` lists a post's keys.
    """
    match node:
        case Term(word, False):
            return frozenset([word])
        case Term(word, True):
            return frozenset(["*" + word[:PREFIX_KEY]])
        case Phrase(words):
            return frozenset([max(words, key=len)])
        case Hashtag(name):
            return frozenset(["#" + name])
        case Handle(name):
            return frozenset(["@" + name])
        case Field(name, value):
            return frozenset([f"{name}:{value}"])
        case And(operands):
            found = [keys for keys in map(trigger, operands) if keys is not None]
            # Field keys (lang:en…) are common: prefer any operand made of words.
            return min(found, key=lambda keys: (_has_field_key(keys), len(keys)), default=None)
        case Or(operands):
            union: set[str] = set()
            for operand in operands:
                keys = trigger(operand)
                if keys is None:
                    return None
                union |= keys
            return frozenset(union)
    return None  # NOT x: nothing a matching post must contain


def other_keys(doc: PreparedDoc) -> list[str]:
    """The trigger keys of a post besides its words (see `trigger`)."""
    keys = [f"#{tag}" for tag in doc.hashtags] + [f"@{name}" for name in doc.mentions]
    if doc.author:
        keys.append(f"from:{doc.author}")
        if "@" in doc.author:
            keys.append(f"from:{doc.author.split('@', 1)[0]}")
    if doc.lang:
        keys.append(f"lang:{doc.lang}")
    if doc.network:
        keys.append(f"source:{doc.network}")
        if ":" in doc.network:
            keys.append(f"source:{doc.network.split(':', 1)[0]}")
    return keys


def _needles(keys: frozenset[str]) -> tuple[str, ...] | None:
    """The substrings of the folded text that `might_match` looks for, or None."""
    needles = set()
    for key in keys:
        if key[0] in "#*":
            needles.add(key[1:])
        elif key[0] == "@":
            needles.add(key[1:].split("@", 1)[0])
        elif ":" in key:
            return None
        else:
            needles.add(key)
    return tuple(needles)


def _has_field_key(keys: frozenset[str]) -> bool:
    return any(":" in key for key in keys)


class TopicMatcher:
    """The compiled queries of a set of topics; `match` returns the ids of the topics a
    post matches, in the order they were given. Immutable, so it can be shared."""

    def __init__(self, compiled: list[tuple[int, Predicate, frozenset[str] | None]]) -> None:
        self._predicates = {topic_id: predicate for topic_id, predicate, _ in compiled}
        self._order = {topic_id: rank for rank, (topic_id, _, _) in enumerate(compiled)}
        self._always = [topic_id for topic_id, _, keys in compiled if keys is None]
        self._index: dict[str, list[int]] = {}
        for topic_id, _, keys in compiled:
            for key in keys or ():
                self._index.setdefault(key, []).append(topic_id)
        self._keys = frozenset(self._index)
        self._other_keys = any(key[0] in "#@" or ":" in key for key in self._keys)
        self._prefix_lengths = sorted({len(key) - 1 for key in self._keys if key[0] == "*"})
        self._needles = None if self._always else _needles(self._keys)
        self._ascii_needles = (tuple(needle.encode() for needle in self._needles)
                               if self._needles is not None
                               and all(needle.isascii() for needle in self._needles) else None)

    def __len__(self) -> int:
        return len(self._predicates)

    def _hits(self, doc: PreparedDoc) -> set[str]:
        """The trigger keys present in `doc`: one C-level intersection for the words,
        short loops for the rest; prefixes only when some query has one."""
        keys = self._keys
        hits = set(keys.intersection(doc.token_set))
        if self._other_keys:
            for key in other_keys(doc):
                if key in keys:
                    hits.add(key)
        for length in self._prefix_lengths:
            for token in doc.token_set:
                key = "*" + token[:length]
                if key in keys:
                    hits.add(key)
        return hits

    def might_match(self, text: str, hashtags: Iterable[str] = ()) -> bool:
        """False when no topic can match a post with this text and these hashtags, decided
        by substring tests on the folded text, without splitting it into words: a cheap
        first pass when a few topics scan many stored posts (preview, backfill). Every
        trigger word of a matching post is a substring of its folded text; topics with
        field triggers (lang:, from:, source:) or none disable it (always True).

        When every needle is ASCII, the text is decomposed and its non-ASCII characters
        dropped (accents with them) instead of folded: dropping characters that lie
        outside an ASCII needle cannot break an occurrence of it, and this is much
        cheaper than `fold` for the French or emoji-laden posts."""
        if self._needles is None:
            return True
        lowered = text.casefold()
        if lowered.isascii():
            haystack: str | bytes = lowered
            needles: tuple[str, ...] | tuple[bytes, ...] = self._needles
        elif self._ascii_needles is not None:
            haystack = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore")
            needles = self._ascii_needles
        else:
            haystack, needles = fold(lowered), self._needles
        for needle in needles:
            if needle in haystack:  # type: ignore[operator]
                return True
        return any(needle in fold(tag) for tag in hashtags for needle in self._needles)

    def match(self, doc: MatchDoc) -> list[int]:
        prepared = doc.prepared()
        candidates = set(self._always)
        for key in self._hits(prepared):
            candidates.update(self._index[key])
        matched = [topic_id for topic_id in candidates if self._predicates[topic_id](prepared)]
        if len(matched) > 1:
            matched.sort(key=self._order.__getitem__)
        return matched


def compile_topics(topics: Iterable[tuple[int, str]]) -> TopicMatcher:
    """Compile `(topic id, query text)` pairs; raises `QuerySyntaxError` for a bad query
    (topics are validated when saved, so that means one was written around the actions)."""
    compiled = []
    for topic_id, text in topics:
        root = parse(text).root
        compiled.append((topic_id, compile_node(root), trigger(root)))
    return TopicMatcher(compiled)
