"""Plain-text posts to safe HTML: escaping, links, #hashtags and @mentions.

Posts are stored as the text people typed. The HTML shown on pages is built here from
that text: every character is escaped first, and the only tags that appear are the
`<a>` and `<p>`/`<br>` elements this module writes itself, so no user-supplied markup can
reach a page. Extraction and rendering share one tokenizer, so what is linked is exactly
what was extracted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape

HANDLE_RE = r"[A-Za-z0-9_]{1,30}"
_TOKEN_RE = re.compile(
    r"(?P<url>https?://[^\s<>\"'\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+)"
    r"|(?<![\w@/])@(?P<mention>" + HANDLE_RE + r")(?![\w@])"
    r"|(?<![\w#&/])#(?P<tag>\w{1,100})",
    re.UNICODE,
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "text", "url", "mention" or "tag"
    value: str


def tokenize(text: str) -> Iterator[Token]:
    position = 0
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup or "text"
        value = match.group(kind)
        end = match.end()
        if kind == "url":
            stripped = value.rstrip(_TRAILING_PUNCTUATION)
            end -= len(value) - len(stripped)
            value = stripped
        if kind == "tag" and value.isdigit():
            continue
        if match.start() > position:
            yield Token("text", text[position : match.start()])
        yield Token(kind, value)
        position = end
    if position < len(text):
        yield Token("text", text[position:])


def normalize_tag(tag: str) -> str:
    return tag.casefold()


def extract_hashtags(text: str) -> list[str]:
    """Distinct normalized hashtags, in order of first appearance."""
    seen: dict[str, None] = {}
    for token in tokenize(text):
        if token.kind == "tag":
            seen.setdefault(normalize_tag(token.value))
    return list(seen)


def extract_mentions(text: str) -> list[str]:
    """Distinct handles mentioned, lower-cased, in order of first appearance."""
    seen: dict[str, None] = {}
    for token in tokenize(text):
        if token.kind == "mention":
            seen.setdefault(token.value.lower())
    return list(seen)


def render_html(
    text: str,
    *,
    mention_url: Callable[[str], str | None],
    tag_url: Callable[[str], str],
) -> str:
    """Safe HTML for `text`.

    `mention_url(handle_lower)` returns None for unknown handles, which stay plain text.
    """
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "".join(
        "<p>" + _render_inline(p, mention_url, tag_url) + "</p>" for p in paragraphs if p
    )


def _render_inline(
    text: str, mention_url: Callable[[str], str | None], tag_url: Callable[[str], str]
) -> str:
    parts: list[str] = []
    for token in tokenize(text):
        if token.kind == "url":
            href = escape(token.value, quote=True)
            label = escape(_shorten(token.value))
            parts.append(
                f'<a href="{href}" rel="nofollow noopener noreferrer" target="_blank">{label}</a>'
            )
        elif token.kind == "mention" and (url := mention_url(token.value.lower())):
            parts.append(
                f'<a class="mention" href="{escape(url, quote=True)}">@{escape(token.value)}</a>'
            )
        elif token.kind == "tag":
            url = escape(tag_url(normalize_tag(token.value)), quote=True)
            parts.append(f'<a class="hashtag" href="{url}">#{escape(token.value)}</a>')
        elif token.kind == "mention":
            parts.append("@" + escape(token.value))
        else:
            parts.append(escape(token.value).replace("\n", "<br>"))
    return "".join(parts)


def _shorten(url: str, limit: int = 40) -> str:
    bare = re.sub(r"^https?://(www\.)?", "", url)
    return bare if len(bare) <= limit else bare[: limit - 1] + "…"
