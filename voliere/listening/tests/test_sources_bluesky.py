"""The Bluesky connector (`app.bsky.feed.searchPosts`) against recorded answers on loopback."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from voliere.core.exceptions import InvalidInput
from voliere.listening.models import Mention, Source, SourceState
from voliere.listening.sources.actions import create_source
from voliere.listening.sources.base import ReplyNotPossible
from voliere.listening.sources.bluesky import BlueskyConnector
from voliere.listening.sources.polling import poll_source
from voliere.listening.tests.sources_server import (
    Canned,
    CannedServer,
    Recorded,
    canned_server,
)

__all__ = ["canned_server"]
pytestmark = pytest.mark.django_db

SEARCH = "/xrpc/app.bsky.feed.searchPosts"
PAGE1, PAGE2 = Canned.file("bsky_search_page1.json"), Canned.file("bsky_search_page2.json")
EMPTY = Canned.file("bsky_search_empty.json")
ROCKET = "at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3lbqa2e4xyz2c"


def bluesky_source(organisation, server: CannedServer, **config: str) -> Source:
    return create_source(organisation, kind="bluesky", name="Bluesky",
                         config={"query": "acme", "base_url": server.base_url, **config})


def test_posts_become_mentions(organisation, canned_server: CannedServer):
    canned_server.route(SEARCH, PAGE1)
    source = bluesky_source(organisation, canned_server, lang="en")
    outcome = poll_source(source.pk)
    assert (outcome.new, outcome.error) == (2, "")
    sent = canned_server.requests[0]
    assert (sent.param("q"), sent.param("sort"), sent.param("lang")) == ("acme", "latest", "en")
    assert sent.param("since") is None and sent.param("cursor") is None
    rocket = Mention.objects.get(network="bluesky", external_id=ROCKET)
    assert rocket.text == "Just got my #AcmeRocket, it's wonderful!"
    assert rocket.author_handle == "rocketfan.bsky.social"
    assert rocket.author_name == "Rocket Fan"
    assert rocket.url == "https://bsky.app/profile/rocketfan.bsky.social/post/3lbqa2e4xyz2c"
    assert rocket.hashtags == ["acmerocket"]
    assert rocket.published_at == datetime(2026, 11, 20, 10, 10, tzinfo=UTC)
    reply = Mention.objects.get(author_handle="marie.example.fr")
    assert reply.is_reply
    source.refresh_from_db()
    # First poll: one page only; `since` = newest sort time minus the margin.
    assert source.cursor == {"since": "2026-11-20T10:08:00.000000Z"}


def test_a_round_walks_the_pages_then_moves_since(organisation, canned_server: CannedServer):
    def answer(request: Recorded) -> Canned:
        if request.param("since") == "2026-11-20T10:00:00.000Z":
            return PAGE2 if request.param("cursor") == "2" else PAGE1
        return EMPTY

    canned_server.route(SEARCH, answer)
    source = bluesky_source(organisation, canned_server)
    Source.objects.filter(pk=source.pk).update(cursor={"since": "2026-11-20T10:00:00.000Z"})
    outcome = poll_source(source.pk)
    assert (outcome.new, outcome.duplicate) == (3, 0)
    assert [r.param("cursor") for r in canned_server.requests] == [None, "2"]
    source.refresh_from_db()
    assert source.cursor == {"since": "2026-11-20T10:08:00.000000Z"}

    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now())
    assert poll_source(source.pk).new == 0
    assert canned_server.requests[-1].param("since") == "2026-11-20T10:08:00.000000Z"


def test_429_on_the_second_page_keeps_the_first_and_resumes_there(
    organisation, canned_server: CannedServer
):
    pages = [PAGE1, Canned(429, '{"error": "RateLimitExceeded"}', {"Retry-After": "60"}),
             PAGE2]
    canned_server.route(SEARCH, pages)
    source = bluesky_source(organisation, canned_server)
    Source.objects.filter(pk=source.pk).update(cursor={"since": "2026-11-20T10:00:00.000Z"})
    outcome = poll_source(source.pk)
    assert (outcome.new, outcome.rate_limited, outcome.error) == (2, True, "")
    source.refresh_from_db()
    assert source.state == SourceState.ACTIVE
    assert source.cursor["page"] == "2"
    assert source.cursor["since"] == "2026-11-20T10:00:00.000Z"
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now())
    assert poll_source(source.pk).new == 1
    assert canned_server.requests[-1].param("cursor") == "2"
    assert Mention.objects.filter(network="bluesky").count() == 3


def test_a_broken_answer_is_an_error_not_a_crash(organisation, canned_server):
    canned_server.route(SEARCH, Canned.json({"error": "InternalServerError"}))
    source = bluesky_source(organisation, canned_server)
    assert "did not answer search results" in poll_source(source.pk).error


def test_replies_are_not_possible(organisation, canned_server, make_mention):
    source = bluesky_source(organisation, canned_server)
    mention = make_mention("hello", network="bluesky", external_id=ROCKET)
    with pytest.raises(ReplyNotPossible):
        BlueskyConnector().reply(source, mention, "hi")


@pytest.mark.parametrize(("config", "field"), [
    ({"query": ""}, "query"), ({"query": "acme", "lang": "french"}, "lang"),
    ({"query": "acme", "base_url": "javascript:alert(1)"}, "base_url"),
])
def test_configuration_errors_name_their_field(organisation, config, field):
    with pytest.raises(InvalidInput) as caught:
        create_source(organisation, kind="bluesky", name="B", config=config)
    assert caught.value.field == field
