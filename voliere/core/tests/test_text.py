from voliere.core.text import extract_hashtags, extract_mentions, render_html


def render(text: str) -> str:
    known = {"bob": "/@bob/"}
    return render_html(text, mention_url=known.get, tag_url=lambda t: f"/tags/{t}/")


def test_user_markup_is_escaped():
    html = render('<script>alert("x")</script> <img src=x onerror=alert(1)>')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_hashtags_mentions_and_links_are_linked():
    html = render("Hi @bob and @nobody, see https://example.org/a?b=1. #Python #2024")
    assert '<a class="mention" href="/@bob/">@bob</a>' in html
    assert "@nobody" in html and 'href="/@nobody' not in html
    assert '<a class="hashtag" href="/tags/python/">#Python</a>' in html
    assert "#2024" in html and "/tags/2024/" not in html
    assert 'href="https://example.org/a?b=1"' in html


def test_link_with_quotes_cannot_break_out_of_attribute():
    html = render('https://example.org/"onmouseover="x')
    assert 'onmouseover="x' not in html


def test_extraction_is_case_insensitive_and_ordered():
    assert extract_hashtags("#Été #été #Other") == ["été", "other"]
    assert extract_mentions("@Bob @bob @carol email@bob.org") == ["bob", "carol"]


def test_direction_controls_end_a_link():
    html = render("see https://a.example/\u202egnp.exe now")
    assert 'href="https://a.example/"' in html
