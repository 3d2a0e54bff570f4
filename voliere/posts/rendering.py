"""Post text → stored HTML, with mentions resolved to accounts of this instance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.urls import reverse

from voliere.accounts.models import Account
from voliere.core.text import extract_hashtags, extract_mentions, render_html


@dataclass(frozen=True, slots=True)
class RenderedText:
    html: str
    hashtags: list[str]
    mentioned: list[Account]


def render_post_text(
    text: str, *, accounts_by_handle: Mapping[str, Account] | None = None
) -> RenderedText:
    """Render `text`; unknown handles stay plain text.

    Mentions are looked up in one query, or in `accounts_by_handle` (lower-cased handle →
    active account) when the caller already holds the accounts, as bulk imports do.
    """
    handles = extract_mentions(text)
    if accounts_by_handle is None:
        found = Account.objects.active().filter(handle_lower__in=handles) if handles else []
        accounts_by_handle = {a.handle_lower: a for a in found}
    by_handle = {h: accounts_by_handle[h] for h in handles if h in accounts_by_handle}
    html = render_html(
        text,
        mention_url=lambda h: by_handle[h].get_absolute_url() if h in by_handle else None,
        tag_url=lambda tag: reverse("hashtag", args=[tag]),
    )
    return RenderedText(
        html=html, hashtags=extract_hashtags(text), mentioned=list(by_handle.values())
    )
