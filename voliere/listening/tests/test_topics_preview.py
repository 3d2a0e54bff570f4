"""The live preview: a query mistake with its position and marker, the count of the last
7 days over the organisation's mentions, escaped samples, the "at least" cap."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from voliere.accounts.actions import create_organisation
from voliere.listening.models import Source
from voliere.listening.query import parse
from voliere.listening.topics.preview import preview_query

pytestmark = pytest.mark.django_db


def preview_url(query: str) -> str:
    return reverse("listening_topic_preview", kwargs={"org": "acme"}) + "?" + urlencode(
        {"query": query})


def test_a_mistake_is_shown_with_its_position(organisation, listener, login):
    response = login(listener).get(preview_url('acme "cloud'), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert "unclosed quote at 5" in page
    assert 'acme <mark class="query-fault">&quot;</mark>cloud' in page
    assert 'id="topic-preview"' in page and "<html" not in page


def test_counts_and_samples_over_the_organisations_last_seven_days(
        organisation, bob, listener, login, make_mention):
    ours = Source.objects.create(organisation=organisation, kind="rss", name="Blog")
    other = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    theirs = Source.objects.create(organisation=other, kind="rss", name="Theirs")
    now = timezone.now()
    for n in range(12):
        make_mention(f"Acmé rocks {n}", network="internal", author_handle=f"fan{n}",
                     published_at=now - timedelta(hours=n), sentiment="positive")
    make_mention("ACME from our feed <b>bold</b>", source=ours, network="rss:1",
                 author_name="Feed <i>author</i>", sentiment="negative")
    make_mention("acme, old news", network="internal", published_at=now - timedelta(days=8))
    make_mention("acme in someone else's feed", source=theirs, network="rss:2")
    make_mention("nothing here", network="internal")
    page = login(listener).get(preview_url("acme"), HTTP_HX_REQUEST="true").content.decode()
    assert "13 matches in the last 7 days" in page
    assert page.count('class="preview-sample ') == 10
    assert "someone else" not in page and "old news" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold" not in page
    assert "Feed &lt;i&gt;author&lt;/i&gt;" in page
    assert "Negative" in page and "rss:1" in page


def test_the_scan_is_capped_and_says_at_least(organisation, make_mention):
    for n in range(30):
        make_mention(f"acme {n}" if n % 2 else f"other {n}", network="internal")
    result = preview_query(organisation, parse("acme"), scan_limit=20)
    assert (result.scanned, result.count, result.capped) == (20, 10, True)
    full = preview_query(organisation, parse("acme"))
    assert (full.scanned, full.count, full.capped) == (30, 15, False)
    assert [m.text for m in full.samples][:1] == ["acme 29"]


def test_an_empty_query_asks_for_one(organisation, listener, login):
    page = login(listener).get(preview_url("  ")).content.decode()
    assert "Type a query to see what it matches." in page
