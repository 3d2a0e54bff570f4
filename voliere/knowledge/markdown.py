"""Markdown to safe HTML for articles, questions and answers.

Two layers, so a bug in one does not open a hole:

1. markdown-it-py (CommonMark + tables + strikethrough) with raw HTML turned OFF: any
   `<script>`, `<img onerror=…>` or `<iframe>` people type is output as escaped text,
   and markdown-it's own link validation already refuses `javascript:`/`vbscript:`/`data:`
   URLs.
2. nh3 (ammonia) cleans the result against an explicit allow-list of tags and attributes;
   links may only use http, https or mailto (or be relative), and every link gets
   `rel="nofollow noopener noreferrer"` so readers are not exposing the page to the target.
   Images are kept only when they point to this site (relative URLs such as `/media/…`):
   an external image would tell a third party who reads the article and when.

The output is stored as `body_html` at write time and printed with `|safe`.
"""

from __future__ import annotations

import html as html_module
import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "img",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    # markdown-it marks fenced code with its language ("language-python"); harmless.
    "code": {"class"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.enable(["table", "strikethrough"])
_CODE_CLASS = re.compile(r"language-[\w+#-]{1,30}")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # Same-site images only: a relative path, never another host ("//host" included).
        return value if value.startswith("/") and not value.startswith("//") else None
    if tag == "code" and attribute == "class":
        return value if _CODE_CLASS.fullmatch(value) else None
    return value


def render(text: str) -> str:
    """Sanitised HTML for Markdown `text` (see the module docstring)."""
    html = _parser.render(text)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def plain_excerpt(text: str, limit: int) -> str:
    """The first `limit` characters of the Markdown as plain text (for lists and search
    snippets): rendered, then every tag dropped, whitespace collapsed."""
    html = _parser.render(text[: limit * 4])
    plain = nh3.clean(html, tags=set())
    plain = " ".join(html_module.unescape(plain).split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"
