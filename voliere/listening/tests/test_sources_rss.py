"""RSS/Atom sources polled from a feed served on loopback, through the real ingestion."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from voliere.core.exceptions import InvalidInput
from voliere.listening.models import Mention, Source, SourceState
from voliere.listening.sources.actions import create_source
from voliere.listening.sources.polling import poll_source
from voliere.listening.sources.rss import feed_network
from voliere.listening.tests.sources_server import (
    Canned,
    CannedServer,
    canned_server,
)

__all__ = ["canned_server"]
pytestmark = pytest.mark.django_db


def feed_source(organisation, url: str) -> Source:
    return create_source(organisation, kind="rss", name="Blog", config={"url": url})


def test_atom_entries_become_mentions_with_safe_text(organisation, canned_server: CannedServer):
    canned_server.route("/feed.atom", Canned.file("feed.atom", "application/atom+xml",
                                                  ETag='"v1"'))
    source = feed_source(organisation, canned_server.url("/feed.atom"))

    outcome = poll_source(source.pk)

    assert (outcome.new, outcome.duplicate, outcome.error) == (2, 0, "")
    network = feed_network(canned_server.url("/feed.atom"))
    assert network.startswith("rss:") and len(network) == 16
    rocket = Mention.objects.get(network=network, external_id="tag:conso.example,2026:/acme-rocket")
    assert rocket.text == ("Acme Rocket : notre essai\nLa fusée Acme décolle mal.\n"
                           "Très déçue & fâchée.")
    assert "script" not in rocket.text and "alert" not in rocket.text
    assert rocket.author_name == "Camille Martin"
    assert rocket.url == "https://conso.example/2026/11/acme-rocket"
    assert rocket.published_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert rocket.source_id == source.pk
    anvils = Mention.objects.get(network=network, external_id="tag:conso.example,2026:/enclumes")
    assert anvils.published_at == datetime(2026, 11, 19, 8, 0, tzinfo=UTC)  # from <updated>
    source.refresh_from_db()
    assert source.cursor == {"etag": '"v1"'}
    assert source.state == SourceState.ACTIVE and source.last_polled_at is not None


def test_conditional_get_then_changed_feed_adds_only_new_entries(
    organisation, canned_server: CannedServer
):
    def answer(request):
        if request.headers.get("if-none-match") == '"v1"':
            return Canned(304)
        return Canned.file("feed.rss", "application/rss+xml", ETag='"v1"',
                           **{"Last-Modified": "Fri, 20 Nov 2026 14:05:00 GMT"})

    canned_server.route("/rss", answer)
    source = feed_source(organisation, canned_server.url("/rss"))
    first = poll_source(source.pk)
    assert (first.new, first.duplicate) == (2, 0)  # the item without guid nor link skipped
    Source.objects.filter(pk=source.pk).update(next_poll_at=datetime(2000, 1, 1, tzinfo=UTC))
    second = poll_source(source.pk)
    assert (second.new, second.duplicate, second.error) == (0, 0, "")
    sent = canned_server.to("/rss")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Fri, 20 Nov 2026 14:05:00 GMT"

    # The publisher changes the feed (new ETag): old entries are duplicates, not doubled.
    canned_server.route("/rss", Canned.file("feed.rss", "application/rss+xml", ETag='"v2"'))
    third = poll_source(source.pk)
    assert (third.new, third.duplicate) == (0, 2)
    network = feed_network(canned_server.url("/rss"))
    assert Mention.objects.filter(network=network).count() == 2
    no_guid = Mention.objects.get(network=network,
                                  external_id="https://gadgets.example/anvil-review")
    assert no_guid.text == "Is the Acme anvil worth it?\nWe tested it for a month."
    guid = Mention.objects.get(network=network, external_id="gadgets-1001")
    assert "onerror" not in guid.text and "<" not in guid.text
    assert guid.author_name == "Jo Writer"


def test_an_html_page_is_not_a_feed(organisation, canned_server: CannedServer):
    canned_server.route("/page", Canned(200, "<html><body>Hello <b>there", {
        "Content-Type": "text/html"}))
    source = feed_source(organisation, canned_server.url("/page"))
    outcome = poll_source(source.pk)
    assert "not an RSS or Atom feed" in outcome.error
    source.refresh_from_db()
    assert source.state == SourceState.BACKING_OFF and "not an RSS" in source.last_error


@pytest.mark.parametrize("url", ["", "ftp://x.example/feed", "not a url", "http://"])
def test_feed_address_is_validated(organisation, url: str):
    with pytest.raises(InvalidInput) as caught:
        feed_source(organisation, url)
    assert caught.value.field == "url"
