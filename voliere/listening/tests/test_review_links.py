"""Links from other networks are http(s) or nothing: a `javascript:` URL given by a feed, an
instance or an imported file never becomes a clickable `href` (stored XSS)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from voliere.listening.importers import csv_import, fourcat
from voliere.listening.importers.base import ReaderOptions
from voliere.listening.links import http_url
from voliere.listening.models import Alert, InboxItem, Source, SourceKind, TopicMatch
from voliere.listening.records import IncomingPost
from voliere.listening.sources.mastodon import status_post
from voliere.listening.sources.rss import entry_post

EVIL = ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x",
        "/\\evil.example", "http:/no-host", "https://" + "a" * 600]


@pytest.mark.parametrize("url", EVIL)
def test_only_http_links_pass(url):
    assert http_url(url) == ""


@pytest.mark.parametrize("url", ["https://example.com/a?b=1#c", "HTTP://example.com",
                                 "/posts/12"])
def test_http_and_site_links_are_kept(url):
    assert http_url(url) == url


def test_feed_and_instance_links_are_cleaned():
    feed = feedparser.parse(b'<?xml version="1.0"?><rss version="2.0"><channel><item>'
                            b"<guid>g1</guid><title>hello</title>"
                            b"<link>javascript:alert(1)</link></item></channel></rss>")
    assert entry_post(feed.entries[0], "rss:x").url == ""
    status = {"id": "1", "content": "<p>hi</p>", "created_at": "2026-01-01T00:00:00Z",
              "url": "javascript:alert(1)", "uri": "https://evil.example/s/1",
              "account": {"acct": "eve", "url": "javascript:alert(2)"}}
    post = status_post(status, "https://evil.example")
    assert (post.url, post.author_url) == ("https://evil.example/s/1", "")


def test_imported_links_are_cleaned():
    options = ReaderOptions(path=Path("x.csv"))
    rows = ("id,text,published_at,url,author_url\n"
            "1,hello,2026-01-01 10:00:00,javascript:alert(1),https://ok.example/u\n")
    post = next(csv_import.read(io.BytesIO(rows.encode()), options)).post
    assert (post.url, post.author_url) == ("", "https://ok.example/u")
    record = {"id": "2", "body": "hi", "timestamp": "2026-01-01 10:00:00",
              "url": "javascript:alert(1)"}
    post = next(fourcat.read(io.BytesIO(json.dumps(record).encode()),
                             ReaderOptions(path=Path("x.ndjson")))).post
    assert post.url == ""


@pytest.fixture
def evil_mention(organisation, make_topic, make_mention):
    """A mention stored before the rule (or by a careless importer), with hostile links."""
    topic = make_topic("Acme", "acme")
    source = Source.objects.create(organisation=organisation, kind=SourceKind.IMPORT, name="f")
    mention = make_mention("acme is down", source=source, url="javascript:alert(1)",
                           author_url="javascript:alert(2)", author_followers=10**6)
    TopicMatch.objects.create(topic=topic, mention=mention, published_at=mention.published_at)
    return topic, mention


def test_pages_of_this_review_render_no_script_link(evil_mention, organisation, login,
                                                     listener):
    topic, mention = evil_mention
    alert = Alert.objects.create(topic=topic, kind="high_reach", episode_key="k",
                                 title="Big", details={"mention_id": mention.pk})
    item = InboxItem.objects.create(organisation=organisation, mention=mention,
                                    reason="question")
    client = login(listener)
    pages = [reverse("listening_alert", kwargs={"org": "acme", "alert_id": alert.pk}),
             reverse("listening_inbox_item", kwargs={"org": "acme", "item_id": item.pk}),
             reverse("listening_topic_preview", kwargs={"org": "acme"}) + "?query=acme",
             reverse("listening_mentions", kwargs={"org": "acme"}),
             reverse("listening_topic_dashboard", kwargs={"org": "acme", "topic_id": topic.pk})]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert b"acme is down" in response.content, page
        assert b"javascript:" not in response.content, page


def test_an_import_cannot_plant_internal_mentions(organisation, tmp_path):
    from voliere.listening.importers.base import UnreadableFile
    from voliere.listening.importers.runner import imported_problem, run_import
    from voliere.listening.models import Mention

    source = Source.objects.create(organisation=organisation, kind=SourceKind.IMPORT, name="f")
    path = tmp_path / "fake.csv"
    path.write_text("id,text,published_at\n1,fake words on post 1,2026-01-01 10:00:00\n")
    with pytest.raises(UnreadableFile, match="reserved"):
        run_import(path=path, fmt="csv", source=source, report=print,
                   options=ReaderOptions(path=path, network="internal"))
    assert not Mention.objects.exists()
    planted = IncomingPost(network="internal", external_id="1", text="fake",
                           published_at=timezone.now())
    assert "reserved" in imported_problem(planted)
