"""Template helpers for the web UI: inline SVG icons and compact relative times.

Icons are our own constant markup (no emoji, which intranet machines often cannot draw):
`{% icon "reply" %}` gives a 20px stroke icon in `currentColor`, hidden from assistive
technology; the text label next to it stays the accessible name. `{{ when|ago }}` gives
"now", "5 min", "3 h", "2 d", then "12 Nov" or "12 Nov 2025".
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext

register = template.Library()

# name -> SVG path data (24x24 viewBox, 2px round strokes). Names ending in "-filled" are
# drawn with a fill, for the "on" state of a toggle.
ICONS: dict[str, tuple[str, ...]] = {
    "reply": ("M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12z",),
    "repost": ("M17 3l3 3-3 3", "M4 12v-2a4 4 0 0 1 4-4h12", "M7 21l-3-3 3-3",
               "M20 12v2a4 4 0 0 1-4 4H4"),
    "quote": ("M10 7H5v5h4c0 3-1 4.5-4 5.5", "M19 7h-5v5h4c0 3-1 4.5-4 5.5"),
    "like": ("M12 20.5S3 15 3 9a4.5 4.5 0 0 1 9-1.5A4.5 4.5 0 0 1 21 9c0 6-9 11.5-9 11.5z",),
    "bookmark": ("M6 3.5h12v17l-6-4.5-6 4.5z",),
    "edit": ("M4 20h4L19.5 8.5a2.8 2.8 0 0 0-4-4L4 16z", "M13.5 6.5l4 4"),
    "delete": ("M4 7h16", "M9 7V4h6v3", "M6 7l1 13h10l1-13", "M10 11v6", "M14 11v6"),
    "public": ("M12 3a9 9 0 1 0 0 18 9 9 0 1 0 0-18z", "M3 12h18",
               "M12 3c2.5 2.5 3.5 5.5 3.5 9s-1 6.5-3.5 9c-2.5-2.5-3.5-5.5-3.5-9s1-6.5 3.5-9z"),
    "internal": ("M5 11h14v10H5z", "M8 11V7.5a4 4 0 0 1 8 0V11"),
    "followers": ("M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z", "M2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1",
                  "M16 3.5a4 4 0 0 1 0 7.5", "M19 14.5a6 6 0 0 1 3 5.5v1"),
    "direct": ("M3 5h18v14H3z", "M3 6l9 7 9-7"),
    "check": ("M5 12.5l4.5 4.5L19 7.5",),
    "arrow-left": ("M19 12H5", "M11 6l-6 6 6 6"),
    "arrow-right": ("M5 12h14", "M13 6l6 6-6 6"),
    "hashtag": ("M5 9h15", "M4 15h15", "M10 3.5L8 20.5", "M16 3.5l-2 17"),
    "people": ("M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z", "M2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1",
               "M16 3.5a4 4 0 0 1 0 7.5", "M19 14.5a6 6 0 0 1 3 5.5v1"),
    "user-plus": ("M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z", "M2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1",
                  "M19 8v6", "M16 11h6"),
}
ICONS["like-filled"] = ICONS["like"]
ICONS["bookmark-filled"] = ICONS["bookmark"]

_SVG = (
    '<svg class="icon icon-{name}" width="{size}" height="{size}" viewBox="0 0 24 24" '
    'fill="{fill}" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
    'stroke-linejoin="round" aria-hidden="true" focusable="false">{paths}</svg>'
)

# The brand: a small bird perched, in the accent colour, drawn once in the top bar.
_LOGO = (
    '<svg class="logo" width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" '
    'focusable="false"><rect width="32" height="32" rx="9" fill="currentColor"/>'
    '<path d="M7 21.5c4.5 0 8.5-1.5 10.5-5.5l1.3-2.6a3.6 3.6 0 0 1 6.7 1.1'
    'c0 4.8-4 8.5-9 8.5H11z" fill="#fff"/>'
    '<path d="M25.3 13.6l2.7.4-2.5 1.2z" fill="#ffd166"/>'
    '<circle cx="22.4" cy="13.9" r="1" fill="currentColor"/>'
    '<path d="M14 23v3.5M17.5 22.8v3.7" stroke="#fff" stroke-width="1.6" '
    'stroke-linecap="round"/></svg>'
)


@register.simple_tag
@lru_cache(maxsize=256)
def icon(name: str, size: int = 18) -> SafeString:
    """An inline SVG icon from `ICONS`; unknown names are a programming error. Memoized:
    the markup depends on the arguments only."""
    paths = "".join(f'<path d="{d}"/>' for d in ICONS[name])
    fill = "currentColor" if name.endswith("-filled") else "none"
    return mark_safe(_SVG.format(name=name, size=int(size), fill=fill, paths=paths))  # noqa: S308


@register.simple_tag
def logo() -> SafeString:
    return mark_safe(_LOGO)  # noqa: S308


def compact_age(value: datetime, now: datetime) -> str:
    """How long ago `value` was, in the fewest characters; a date from 7 days on."""
    seconds = (now - value).total_seconds()
    if seconds < 60:
        return gettext("now")
    if seconds < 3600:
        return gettext("%(count)d min") % {"count": seconds // 60}
    if seconds < 86400:
        # Translators: hours, abbreviated ("3 h").
        return gettext("%(count)d h") % {"count": seconds // 3600}
    if seconds < 7 * 86400:
        # Translators: days, abbreviated ("2 d"; French "2 j").
        return gettext("%(count)d d") % {"count": seconds // 86400}
    local, local_now = timezone.localtime(value), timezone.localtime(now)
    if local.year == local_now.year:
        # Translators: Django date format of a post date this year ("12 Nov"); French: "j N".
        return date_format(local, pgettext("compact date", "j M"))
    # Translators: Django date format of an older post date ("12 Nov 2025"); French: "j N Y".
    return date_format(local, pgettext("compact date with year", "j M Y"))


@register.filter
def ago(value: datetime | None) -> str:
    """`{{ post.created_at|ago }}`: "now", "5 min", "3 h", "2 d", "12 Nov", "12 Nov 2025"."""
    if value is None:
        return ""
    return compact_age(value, timezone.now())


@lru_cache(maxsize=4096)
def _time_start(value: datetime, language: str | None, zone: str) -> SafeString:
    """The opening `<time>` tag; the title is formatted in `language` and `zone` (both part
    of the memo key for that reason)."""
    return format_html(
        '<time datetime="{}" title="{}">',
        value.isoformat(),
        date_format(timezone.localtime(value), "DATETIME_FORMAT"),
    )


@register.simple_tag
def time_ago(value: datetime) -> SafeString:
    """A `<time>` element with the compact age as text and the full date-time as title."""
    start = _time_start(value, get_language(), timezone.get_current_timezone_name())
    return mark_safe(  # noqa: S308
        start + conditional_escape(compact_age(value, timezone.now())) + "</time>"
    )
