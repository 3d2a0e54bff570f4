"""Dashboard pages through HTTP: panels and links, filters and their errors, drill-down,
who may see what, the empty state, and query counts that do not grow with topics or rows."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from voliere.accounts.actions import create_organisation
from voliere.listening.matches import save_matches
from voliere.listening.models import Alert, Topic

pytestmark = pytest.mark.django_db


def ago(hours: float):
    return timezone.now() - timedelta(hours=hours)


@pytest.fixture
def data(make_topic, make_mention):
    acme = make_topic("Acme", "acme")
    rival = make_topic("Rival", "rival", kind="competitor")
    angry = make_mention("acme broke my <b>order</b> #fail", published_at=ago(2),
                         sentiment="negative", lang="en", author_handle="angry_ann",
                         author_followers=900, author_url="https://x.example/angry_ann",
                         url="https://x.example/angry_ann/status/1", hashtags=["fail"])
    happy = make_mention("acme support rocks", published_at=ago(3), sentiment="positive",
                         lang="en", author_handle="happy_hal", author_followers=50)
    theirs = make_mention("rival launches something", published_at=ago(5), lang="fr",
                          author_handle="rival_fan")
    save_matches([(acme.id, angry), (acme.id, happy), (rival.id, theirs)])
    return {"acme": acme, "rival": rival, "angry": angry, "happy": happy, "theirs": theirs}


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs={"org": "acme", **kwargs})


def links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]


def test_overview_shows_cards_voice_charts_tables_and_escapes(client, listener, data):
    alert = Alert.objects.create(topic=data["acme"], kind="negative", episode_key="e1",
                                 title="Negative spike on Acme")
    client.force_login(listener)
    response = client.get(url("listening_dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Negative spike on Acme</a>" in html
    assert url("listening_alert", alert_id=alert.id) in links(html)
    assert "Share of voice" in html and "66.7 %" in html and "33.3 %" in html
    assert html.count("<svg viewBox") == 2 and "<table>" in html  # charts + data table
    assert "#fail" in html and "@angry_ann" in html
    assert "&lt;b&gt;order&lt;/b&gt;" in html and "<b>order</b>" not in html
    assert 'href="https://x.example/angry_ann/status/1"' in html


def test_every_panel_links_to_the_mentions_it_counts(client, listener, data):
    client.force_login(listener)
    html = client.get(url("listening_dashboard"), {"period": "24h"}).content.decode()
    mentions = url("listening_mentions")
    drill = [h for h in links(html) if h.startswith(mentions + "?")]
    assert any("author=angry_ann" in h for h in drill)
    assert any("hashtag=fail" in h for h in drill)
    assert any("side=brand" in h for h in drill)
    assert any("sentiment=negative" in h and "since=" in h for h in drill)  # a stacked bar
    author_link = next(h for h in drill if "author=angry_ann" in h)
    page = client.get(author_link).content.decode()
    assert "acme broke my" in page and "acme support rocks" not in page
    bar_link = next(h for h in drill if "sentiment=negative" in h and "since=" in h)
    page = client.get(bar_link).content.decode()
    assert "acme broke my" in page and "acme support rocks" not in page


def test_topic_dashboard_is_scoped_to_its_topic(client, listener, data):
    client.force_login(listener)
    response = client.get(url("listening_topic_dashboard", topic_id=data["rival"].id))
    html = response.content.decode()
    assert response.status_code == 200 and "rival_fan" in html and "angry_ann" not in html
    drill = [h for h in links(html) if h.startswith(url("listening_mentions"))
             and "side=brand" not in h]  # share of voice links the brand side
    assert len(drill) > 5 and all(f"topic={data['rival'].id}" in h for h in drill)


def test_filters_apply_to_the_overview(client, listener, data):
    client.force_login(listener)
    html = client.get(url("listening_dashboard"),
                      {"sentiment": "negative", "lang": "en"}).content.decode()
    assert "angry_ann" in html and "happy_hal" not in html and "rival_fan" not in html


@pytest.mark.parametrize(("params", "message"), [
    ({"period": "custom", "since": "yesterday", "until": "2026-01-01"}, "since must be a date"),
    ({"period": "custom", "since": "2026-01-01"}, "until is required"),
    ({"sentiment": "furious"}, "sentiment must be one of"),
    ({"topic": "0"}, "topic: no such topic"),
])
def test_bad_filters_are_a_400_with_the_form_and_reason(client, listener, data, params,
                                                       message):
    client.force_login(listener)
    for name in ("listening_dashboard", "listening_mentions"):
        response = client.get(url(name), params)
        assert response.status_code == 400
        html = unescape(response.content.decode())
        assert message in html and 'name="period"' in html


def test_bad_page_marker_is_a_400(client, listener, data):
    client.force_login(listener)
    response = client.get(url("listening_mentions"), {"before": "yesterday"})
    assert response.status_code == 400 and "before must be" in unescape(response.content.decode())


def test_other_organisations_topics_and_pages_are_not_found(client, listener, data, bob,
                                                           make_topic):
    other = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    foreign = make_topic("Globex brand", "globex", organisation=other)
    client.force_login(listener)
    assert client.get(url("listening_topic_dashboard", topic_id=foreign.id)).status_code == 404
    assert client.get(url("listening_mentions"), {"topic": foreign.id}).status_code == 400
    assert client.get(reverse("listening_dashboard", kwargs={"org": "globex"})).status_code == 404
    client.force_login(bob)  # manages Globex, not Acme
    assert client.get(url("listening_dashboard")).status_code == 404
    assert client.get(url("listening_mentions")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, data):
    response = client.get(url("listening_dashboard"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_empty_state_explains_topics(client, listener):
    client.force_login(listener)
    response = client.get(url("listening_dashboard"))
    html = response.content.decode()
    assert response.status_code == 200 and "No topics yet" in html and "<svg viewBox" not in html


def test_mentions_list_pages_by_time_without_gaps_or_repeats(client, listener, make_topic,
                                                            make_mention):
    topic = make_topic("Acme", "acme")
    made = [make_mention(f"acme number {i:02d}", published_at=ago(1 + (i // 2)))
            for i in range(30)]  # pairs share a timestamp: the id breaks ties
    save_matches([(topic.id, m) for m in made])
    client.force_login(listener)
    seen: list[str] = []
    next_url = url("listening_mentions") + "?period=7d"
    while next_url:
        html = client.get(next_url).content.decode()
        seen += re.findall(r"acme number (\d\d)", html)
        older = [h for h in links(html) if "before=" in h]
        next_url = url("listening_mentions") + older[0] if older else ""
    assert sorted(seen) == sorted(f"{i:02d}" for i in range(30)) and len(seen) == 30


def test_query_counts_do_not_grow_with_topics_or_mentions(client, listener, make_topic,
                                                         make_mention, django_assert_num_queries):
    """Overview: session, user, organisation, topics with their latest alert (one query),
    per-topic volumes (one grouped query), the chart series, top authors, the hashtag/term
    sample, top posts = 9. Drill-down: session, user, organisation, topics, one page of
    mentions, their matched topics (prefetch) = 6."""
    client.force_login(listener)
    made = itertools.count()

    def grow(topics: int) -> None:
        for _ in range(topics):
            number = next(made)
            topic = make_topic(f"Topic {number}", "acme",
                               kind="competitor" if number % 2 else "brand")
            mentions = [make_mention(f"acme #tag{i}", published_at=ago(i), author_handle=f"a{i}",
                                     lang="en") for i in range(5)]
            save_matches([(topic.id, m) for m in mentions])
            Alert.objects.create(topic=topic, kind="burst", episode_key="x", title="Burst")

    grow(1)
    first = Topic.objects.get(name="Topic 0")
    pages = [(url("listening_dashboard"), {}, 9), (url("listening_dashboard"), {"lang": "en"}, 9),
             (url("listening_topic_dashboard", topic_id=first.id), {}, 10),  # + the topic
             (url("listening_mentions"), {}, 6)]
    for topics in (1, 6):
        grow(topics)
        for path, params, expected in pages:
            with django_assert_num_queries(expected):
                assert client.get(path, params).status_code == 200


def test_a_busy_period_ranks_authors_and_posts_over_the_latest_window(client, listener, data,
                                                                      monkeypatch):
    monkeypatch.setattr("voliere.listening.dashboard.queries.WINDOW", 1)
    client.force_login(listener)
    html = client.get(url("listening_dashboard"), {"period": "24h"}).content.decode()
    assert "ranked over the latest matches only" in html
    assert "angry_ann" in html and "happy_hal" not in html  # 2 h old vs 3 h old
