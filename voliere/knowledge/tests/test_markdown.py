"""Markdown is rendered safely: no markup people type survives as markup."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from voliere.knowledge.markdown import plain_excerpt, render


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example"></iframe>',
        "<div onclick=alert(1)>hi</div>",
    ],
)
def test_raw_html_is_shown_as_text(text):
    html = render(text)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "<style" not in html and "<div" not in html and "<a " not in html
    assert "&lt;" in html  # what was typed is visible, escaped


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](java\tscript:alert(1))",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_link_schemes_never_become_links(link):
    html = render(link)
    assert "href" not in html


def test_links_are_kept_with_nofollow_noopener():
    html = render("See [the docs](https://docs.example.org/a?b=1&c=2) and <https://x.example>.")
    assert 'href="https://docs.example.org/a?b=1&amp;c=2"' in html
    assert html.count('rel="nofollow noopener noreferrer"') == 2


def _attributes(html: str) -> set[str]:
    names: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN202
            names.update(f"{tag}.{name}" for name, _value in attrs)

    Collect().feed(html)
    return names


def test_markdown_attributes_cannot_inject_event_handlers():
    html = render(
        '[x](https://e.example "t\\" onmouseover=\\"alert(1)")\n\n![a" onerror="x](/m.png)'
    )
    assert _attributes(html) <= {"a.href", "a.title", "a.rel", "img.src", "img.alt"}


def test_images_only_from_this_site():
    html = render(
        "![local](/media/a.png) ![far](https://tracker.example/p.gif) ![s](//t.example/x)"
    )
    assert 'src="/media/a.png"' in html
    assert "tracker.example" not in html and "t.example" not in html


def test_formatting_survives():
    html = render(
        "# Title\n\n**bold** *it* ~~old~~\n\n```python\nx < 1\n```\n\n| a |\n|---|\n| 1 |"
    )
    for tag in ("<h1>", "<strong>", "<em>", "<s>", "<table>"):
        assert tag in html or tag.replace("s>", "del>") in html
    assert '<code class="language-python">x &lt; 1' in html


def test_code_class_is_restricted():
    html = render('```python" onload="x\ncode\n```')
    assert "onload" not in html


def test_plain_excerpt_drops_markup_and_truncates():
    assert plain_excerpt("# Hello\n\n*world* <b>x</b>", 100) == "Hello world <b>x</b>"
    assert plain_excerpt("word " * 100, 20).endswith("…")
    assert len(plain_excerpt("word " * 100, 20)) == 20
