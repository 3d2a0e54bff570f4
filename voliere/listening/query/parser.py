"""Reading a listening query: text → tokens → syntax tree, or a `QuerySyntaxError` that
says what is wrong and at which 0-based character (see the package docstring for the
language itself).

Precedence, loosest first: `OR`, then `AND` (or nothing: adjacent operands), then `NOT`
and `-`. So `a b OR c` is `(a AND b) OR c` and `NOT a b` is `(NOT a) AND b`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from voliere.core.exceptions import InvalidInput
from voliere.listening.query.nodes import (
    And,
    Field,
    Handle,
    Hashtag,
    Node,
    Not,
    Or,
    Phrase,
    Term,
)
from voliere.listening.query.normalize import fold, words_of

MAX_LENGTH = 2000
MAX_DEPTH = 40
MIN_PREFIX = 2
# `source:` values: the network a post was published on (`Mention.network` up to its ":").
SOURCES = ("x", "bluesky", "mastodon", "rss", "internal", "csv")
SOURCE_ALIASES = {"twitter": "x"}
FIELDS = ("lang", "from", "source")

_OPERATORS = ("AND", "OR", "NOT")
_FIELD_RE = re.compile(r"([A-Za-z]+):")
_WORD_RE = re.compile(r"[^\s()\"]+")
_TAG_RE = re.compile(r"\w+")
_HANDLE_RE = re.compile(r"\w+(?:[.\-]\w+)*(?:@\w+(?:[.\-]\w+)*)?")
_LANG_RE = re.compile(r"[a-z]{2,3}")
_SOURCE_RE = re.compile(r"([a-z]+)(?::([\w.\-]+))?")


class QuerySyntaxError(InvalidInput):
    """A query that cannot be read; `position` is the 0-based character at fault."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, field="query")
        self.position = position


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(" ")" AND OR NOT "-" or "atom" (an operand already built)
    position: int
    atom: Node | None = None


def _error(message: str, position: int, **values: object) -> QuerySyntaxError:
    return QuerySyntaxError(message % {"position": position, **values}, position)


def tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, i))
            i += 1
        elif char == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise _error(_("unclosed quote at %(position)d"), i)
            words = words_of(text[i + 1:close])
            if not words:
                raise _error(_("empty phrase at %(position)d"), i)
            tokens.append(_Token("atom", i, Phrase(tuple(words))))
            i = close + 1
        elif char == "-" and (i + 1 == end or text[i + 1].isspace()):
            raise _error(_("expected a term after '-' at %(position)d"), i)
        elif char == "-":
            tokens.append(_Token("-", i))
            i += 1
        else:
            word = _WORD_RE.match(text, i).group()  # type: ignore[union-attr]
            if word in _OPERATORS:
                tokens.append(_Token(word, i))
            else:
                tokens.append(_Token("atom", i, _atom(word, i)))
            i += len(word)
    return tokens


def _atom(word: str, position: int) -> Node:
    """A bare word: a field, a hashtag, a handle, a term (maybe a prefix) or, when it
    holds punctuation between words ("e-mail"), the phrase of those words."""
    field = _FIELD_RE.match(word)
    if field:
        return _field(field.group(1).lower(), word[field.end():], position, field.end())
    if word[0] == "#":
        name = fold(word[1:])
        if not _TAG_RE.fullmatch(name):
            raise _error(_("expected a hashtag name (letters, digits, _) after '#' at "
                           "%(position)d"), position)
        return Hashtag(name)
    if word[0] == "@":
        name = fold(word[1:])
        if not _HANDLE_RE.fullmatch(name):
            raise _error(_("expected a handle after '@' at %(position)d"), position)
        return Handle(name)
    if "*" in word:
        star = word.index("*")
        stem = fold(word[:star])
        if star != len(word) - 1 or not re.fullmatch(r"[^\W_]+", stem):
            raise _error(_("'*' may only end a word, at %(position)d"), position + star)
        if len(stem) < MIN_PREFIX:
            raise _error(_("a prefix needs at least %(minimum)d characters before '*' at "
                           "%(position)d"), position, minimum=MIN_PREFIX)
        return Term(stem, prefix=True)
    words = words_of(word)
    if not words:
        raise _error(_("expected a word (letters or digits) at %(position)d"), position)
    return Term(words[0]) if len(words) == 1 else Phrase(tuple(words))


def _field(name: str, raw: str, position: int, value_offset: int) -> Field:
    if name not in FIELDS:
        raise _error(_("unknown field '%(name)s:' at %(position)d (fields are lang:, from:, "
                       "source:; put text in quotes to search for it)"), position, name=name)
    at = position + value_offset
    if not raw:
        raise _error(_("expected a value after '%(name)s:' at %(position)d"), at, name=name)
    value = fold(raw)
    if name == "lang" and not _LANG_RE.fullmatch(value):
        raise _error(_("expected a language code such as 'fr' or 'en' at %(position)d"), at)
    if name == "from":
        value = value.removeprefix("@")
        if not _HANDLE_RE.fullmatch(value):
            raise _error(_("expected a handle after 'from:' at %(position)d"), at)
    if name == "source":
        found = _SOURCE_RE.fullmatch(value)
        network = SOURCE_ALIASES.get(found.group(1), found.group(1)) if found else ""
        if network not in SOURCES:
            raise _error(_("unknown source at %(position)d (expected one of: %(sources)s)"),
                         at, sources=", ".join(SOURCES))
        value = network + (f":{found.group(2)}" if found.group(2) else "")  # type: ignore[union-attr]
    return Field(name, value)


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def starts_operand(self) -> bool:
        token = self.peek()
        return token is not None and token.kind in ("atom", "(", "NOT", "-")

    def parse(self) -> Node:
        node = self.disjunction(0)
        extra = self.peek()
        if extra is not None:  # only a stray ")" can stop the loops before the end
            raise _error(_("unbalanced parenthesis at %(position)d"), extra.position)
        return node

    def disjunction(self, depth: int) -> Node:
        operands = [self.conjunction(depth)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            if not self.starts_operand():
                raise _error(_("expected a term after OR at %(position)d"), token.position)
            operands.append(self.conjunction(depth))
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def conjunction(self, depth: int) -> Node:
        token = self.peek()
        if token is not None and token.kind in ("AND", "OR"):
            raise _error(_("expected a term before %(operator)s at %(position)d"),
                         token.position, operator=token.kind)
        operands = [self.unary(depth)]
        while True:
            token = self.peek()
            if token is not None and token.kind == "AND":
                self.take()
                if not self.starts_operand():
                    raise _error(_("expected a term after AND at %(position)d"),
                                 token.position)
            elif not self.starts_operand():
                break
            operands.append(self.unary(depth))
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def unary(self, depth: int) -> Node:
        token = self.take()
        if token.kind in ("NOT", "-"):
            if not self.starts_operand():
                if token.kind == "NOT":
                    raise _error(_("expected a term after NOT at %(position)d"),
                                 token.position)
                raise _error(_("expected a term after '-' at %(position)d"), token.position)
            return Not(self.unary(self.deeper(depth, token)))
        if token.kind == "(":
            closing = self.peek()
            if closing is None:
                raise _error(_("unbalanced parenthesis: '(' at %(position)d is never closed"),
                             token.position)
            if closing.kind == ")":
                raise _error(_("empty parentheses at %(position)d"), token.position)
            node = self.disjunction(self.deeper(depth, token))
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise _error(_("unbalanced parenthesis: '(' at %(position)d is never closed"),
                             token.position)
            self.take()
            return node
        if token.kind == ")":
            raise _error(_("unbalanced parenthesis at %(position)d"), token.position)
        assert token.atom is not None
        return token.atom

    @staticmethod
    def deeper(depth: int, token: _Token) -> int:
        if depth >= MAX_DEPTH:
            raise _error(_("query nested too deeply at %(position)d"), token.position)
        return depth + 1


def parse_node(text: str) -> Node:
    if len(text) > MAX_LENGTH:
        raise _error(_("query longer than %(maximum)d characters at %(position)d"),
                     MAX_LENGTH, maximum=MAX_LENGTH)
    tokens = tokenize(text)
    if not tokens:
        raise _error(_("empty query"), 0)
    return _Parser(tokens).parse()
