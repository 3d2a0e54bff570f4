"""The UI template helpers: compact relative times and inline SVG icons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from voliere.core.templatetags.voliere_ui import ICONS, ago, compact_age

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(seconds=5), "now"),
        (timedelta(seconds=59), "now"),
        (timedelta(minutes=5, seconds=30), "5 min"),
        (timedelta(minutes=59), "59 min"),
        (timedelta(hours=3, minutes=59), "3 h"),
        (timedelta(days=2, hours=5), "2 d"),
        (timedelta(days=6, hours=23), "6 d"),
        (timedelta(days=11), "12 Nov"),
        (timedelta(days=400), "19 Oct 2025"),
    ],
)
def test_compact_age(delta, expected):
    with translation.override("en"):
        assert compact_age(NOW - delta, NOW) == expected


def test_compact_age_dates_follow_the_active_locale():
    may = datetime(2025, 5, 19, 12, tzinfo=UTC)
    with translation.override("en"):
        assert compact_age(may, NOW) == "19 May 2025"
    with translation.override("fr"):
        assert compact_age(may, NOW).lower().startswith("19 mai")


def test_ago_filter_uses_the_current_time_and_tolerates_none():
    assert ago(timezone.now() - timedelta(minutes=3)) == "3 min"
    assert ago(None) == ""


def test_time_ago_tag_puts_the_full_date_in_the_attributes():
    moment = timezone.now() - timedelta(hours=2)
    html = Template("{% load voliere_ui %}{% time_ago when %}").render(Context({"when": moment}))
    assert html.startswith(f'<time datetime="{moment.isoformat()}" title="')
    assert html.endswith(">2 h</time>")


def test_icon_is_hidden_inline_svg_in_current_color():
    html = Template('{% load voliere_ui %}{% icon "reply" %}').render(Context())
    assert html.startswith("<svg ") and html.endswith("</svg>")
    assert 'aria-hidden="true"' in html and 'focusable="false"' in html
    assert 'stroke="currentColor"' in html and 'fill="none"' in html
    filled = Template('{% load voliere_ui %}{% icon "like-filled" 20 %}').render(Context())
    assert 'fill="currentColor"' in filled and 'width="20"' in filled


def test_every_icon_name_used_by_the_templates_exists():
    for name in ("reply", "repost", "quote", "like", "bookmark", "edit", "delete", "public",
                 "internal", "followers", "direct", "people", "check"):
        assert name in ICONS


def test_unknown_icon_is_an_error():
    with pytest.raises(KeyError):
        Template('{% load voliere_ui %}{% icon "nope" %}').render(Context())
