"""The syntax tree of a listening query, and its canonical text.

Words are stored folded (`normalize.fold`), so two queries that differ only in case or
accents have equal trees. `to_text` prints a tree back in the query language, putting
parentheses around every compound operand: `parse(to_text(node))` gives `node` again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """One whole word; with `prefix`, any word starting with it (`launch*`)."""

    word: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """Consecutive words, in this order ("exact phrase", or a bare `e-mail`)."""

    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Hashtag:
    name: str


@dataclass(frozen=True, slots=True)
class Handle:
    """An @mention in the text: `acme`, `acme@mastodon.social` or `acme.bsky.social`."""

    name: str


@dataclass(frozen=True, slots=True)
class Field:
    """`lang:`, `from:` or `source:` with its (lower-case) value."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Node, ...]


Node = Term | Phrase | Hashtag | Handle | Field | Not | And | Or


def to_text(node: Node) -> str:
    """`node` in the query language (canonical form: explicit operators, folded words)."""
    match node:
        case Term(word, prefix):
            return word + ("*" if prefix else "")
        case Phrase(words):
            return '"' + " ".join(words) + '"'
        case Hashtag(name):
            return "#" + name
        case Handle(name):
            return "@" + name
        case Field(name, value):
            return f"{name}:{value}"
        case Not(operand):
            return "NOT " + _operand(operand)
        case And(operands):
            return " AND ".join(_operand(operand) for operand in operands)
        case Or(operands):
            return " OR ".join(_operand(operand) for operand in operands)
    raise TypeError(f"not a query node: {node!r}")


def _operand(node: Node) -> str:
    text = to_text(node)
    return f"({text})" if isinstance(node, And | Or) else text
