"""Post text → stored HTML, with mentions resolved to accounts of this instance."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from voliere.accounts.models import Account
from voliere.core.text import extract_hashtags, extract_mentions, render_html


@dataclass(frozen=True, slots=True)
class RenderedText:
    html: str
    hashtags: list[str]
    mentioned: list[Account]


def render_post_text(text: str) -> RenderedText:
    """One query: the accounts mentioned. Unknown handles stay plain text."""
    handles = extract_mentions(text)
    accounts = list(Account.objects.active().filter(handle_lower__in=handles)) if handles else []
    by_handle = {a.handle_lower: a for a in accounts}
    html = render_html(
        text,
        mention_url=lambda h: by_handle[h].get_absolute_url() if h in by_handle else None,
        tag_url=lambda tag: reverse("hashtag", args=[tag]),
    )
    return RenderedText(html=html, hashtags=extract_hashtags(text), mentioned=accounts)
