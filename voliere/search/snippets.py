"""Highlighted snippets: a short extract around the first matching word, escaped, with
`<mark>` around every word whose index token was searched for.

Escaping comes first: the text is cut into words and the gaps between them, every piece
is escaped on its own, and only then are `<mark>` tags added around whole escaped words,
so nothing a person wrote can become markup (a post containing `<script>` shows it as
text). Words are compared by their index tokens in every language, like the query, so
"reunion" highlights "Réunions".
"""

from __future__ import annotations

import functools
from collections.abc import Set

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from voliere.search import text

SNIPPET_CHARS = 240


@functools.lru_cache(maxsize=65_536)
def _matches(word: str, tokens: frozenset[str]) -> bool:
    """Whether `word` is one of `tokens` in any language (memoized: pages repeat words)."""
    return any(form in tokens for form in text.variants(word))


def highlight(value: str, tokens: Set[str], *, limit: int = SNIPPET_CHARS) -> SafeString:
    """`value` (plain text) cut to about `limit` characters around its first match, escaped,
    matches wrapped in `<mark>`; an ellipsis marks each cut."""
    value = " ".join((value or "").split())
    if not value:
        return mark_safe("")  # noqa: S308 — empty
    tokens = frozenset(tokens)
    found = [m for m in text.words(value) if tokens and _matches(m.group(), tokens)]
    start = 0
    if found and found[0].start() > limit // 3 and len(value) > limit:
        start = max(0, found[0].start() - limit // 3)
        start = value.find(" ", start) + 1 or start  # do not cut a word in two
    stop = min(len(value), start + limit)
    if stop < len(value):
        space = value.rfind(" ", start, stop)
        stop = space if space > start else stop
    pieces = ["…" if start else ""]
    position = start
    for match in found:
        if match.start() < start:
            continue
        if match.end() > stop:
            break
        pieces.append(escape(value[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(value[position:stop]))
    if stop < len(value):
        pieces.append("…")
    return mark_safe("".join(pieces))  # noqa: S308 — every piece escaped above
