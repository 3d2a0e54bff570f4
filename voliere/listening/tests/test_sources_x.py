"""The X API v2 recent-search connector against recorded answers served on loopback."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from voliere.core.exceptions import InvalidInput
from voliere.listening import ingest as ingest_module
from voliere.listening.models import Mention, Source, SourceState
from voliere.listening.sources import x
from voliere.listening.sources.actions import create_source
from voliere.listening.sources.base import ReplyNotPossible
from voliere.listening.sources.polling import poll_source
from voliere.listening.tests.sources_server import (
    Canned,
    CannedServer,
    Recorded,
    canned_server,
)

__all__ = ["canned_server"]
pytestmark = pytest.mark.django_db

SEARCH = "/2/tweets/search/recent"
PAGE1, PAGE2 = Canned.file("x_recent_page1.json"), Canned.file("x_recent_page2.json")
NEWER, EMPTY = Canned.file("x_recent_newer.json"), Canned.file("x_recent_empty.json")
ID = "18610000000000002{:02d}"


def x_source(organisation, server: CannedServer, **credentials: str) -> Source:
    return create_source(organisation, kind="x", name="X search",
                         config={"query": "acme -is:retweet", "base_url": server.base_url},
                         credentials={"bearer_token": "AAAA-bearer", **credentials})


def due_now(source: Source) -> None:
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now())
    source.refresh_from_db()


def test_tweets_become_mentions_with_author_reach(organisation, canned_server: CannedServer):
    canned_server.route(SEARCH, PAGE1)
    source = x_source(organisation, canned_server)
    outcome = poll_source(source.pk)
    assert (outcome.new, outcome.error) == (2, "")  # first poll: one page, no history walk
    request = canned_server.requests[0]
    assert request.headers["authorization"] == "Bearer AAAA-bearer"
    assert request.param("query") == "acme -is:retweet"
    assert request.param("expansions") == "author_id"
    assert "public_metrics" in request.param("user.fields")
    assert request.param("since_id") is None
    late = Mention.objects.get(network="x", external_id=ID.format(5))
    assert late.author_handle == "devreviews" and late.author_followers == 58400
    assert late.url == f"https://x.com/devreviews/status/{ID.format(5)}"
    assert late.hashtags == ["acmerocket"]
    assert late.published_at == datetime(2026, 11, 20, 10, 5, tzinfo=UTC)
    question = Mention.objects.get(external_id=ID.format(4))
    assert question.is_reply and question.author_name == "Chloé"
    source.refresh_from_db()
    assert source.cursor == {"since_id": ID.format(5)}


def test_pagination_across_polls_errors_and_a_restart_loses_and_doubles_nothing(
    organisation, canned_server: CannedServer, monkeypatch: pytest.MonkeyPatch
):
    """One page per poll (cap), a 503, a crash between fetch and storage: every tweet
    between the two `since_id`s is stored exactly once, and `since_id` moves only when the
    round's last page is stored."""
    monkeypatch.setattr(x, "MAX_PAGES", 1)
    failing = {"next": False}

    def answer(request: Recorded) -> Canned:
        if request.param("since_id") == ID.format(1):
            if request.param("next_token") is None:
                return PAGE1
            return Canned(503, "over capacity") if failing["next"] else PAGE2
        if request.param("since_id") == ID.format(5):
            return NEWER
        return EMPTY

    canned_server.route(SEARCH, answer)
    source = x_source(organisation, canned_server)
    Source.objects.filter(pk=source.pk).update(cursor={"since_id": ID.format(1)})

    first = poll_source(source.pk)
    assert first.new == 2
    source.refresh_from_db()
    token = "b26v89c19zqg8o3fo7gesq314yb9ug9anqx1l8yz8y8e5"
    assert source.cursor == {"since_id": ID.format(1), "next_token": token,
                             "pending_newest": ID.format(5)}
    assert (source.next_poll_at - timezone.now()).total_seconds() <= 5  # more to read soon

    failing["next"] = True
    assert "HTTP 503" in poll_source(source.pk).error
    source.refresh_from_db()
    assert source.state == SourceState.BACKING_OFF
    assert source.cursor["next_token"] == token  # untouched by the failure

    # The worker "restarts": nothing but the database survives; the ingestion crashes once.
    failing["next"] = False
    real_ingest = ingest_module.ingest
    monkeypatch.setattr(ingest_module, "ingest", _crash)
    due_now(source)
    assert "crashed" in poll_source(source.pk).error
    assert Mention.objects.filter(network="x").count() == 2
    monkeypatch.setattr(ingest_module, "ingest", real_ingest)

    due_now(source)
    recovered = poll_source(source.pk)
    assert (recovered.new, recovered.duplicate, recovered.error) == (2, 0, "")
    source.refresh_from_db()
    assert source.cursor == {"since_id": ID.format(5)}
    assert (source.state, source.failures) == (SourceState.ACTIVE, 0)

    due_now(source)
    assert poll_source(source.pk).new == 1
    ids = sorted(Mention.objects.filter(network="x").values_list("external_id", flat=True))
    assert ids == [ID.format(n) for n in (2, 3, 4, 5, 6)]
    walked = [(r.param("since_id"), r.param("next_token")) for r in canned_server.requests]
    assert walked == [(ID.format(1), None)] + [(ID.format(1), token)] * 3 + [
        (ID.format(5), None)]


def _crash(*args: object, **kwargs: object) -> None:
    raise RuntimeError("worker crashed before storing")


def test_spent_quota_waits_until_the_reset(organisation, canned_server, time_machine):
    time_machine.move_to(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), tick=False)
    reset = int((datetime(2026, 11, 20, 12, 15, tzinfo=UTC)).timestamp())
    canned_server.route(SEARCH, Canned.file("x_recent_page1.json", **{
        "x-rate-limit-limit": "450", "x-rate-limit-remaining": "0",
        "x-rate-limit-reset": str(reset)}))
    source = x_source(organisation, canned_server)
    outcome = poll_source(source.pk)
    assert (outcome.new, outcome.rate_limited) == (2, True)
    source.refresh_from_db()
    assert source.next_poll_at == datetime(2026, 11, 20, 12, 15, tzinfo=UTC)


def test_429_is_not_a_failure(organisation, canned_server, time_machine):
    time_machine.move_to(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), tick=False)
    canned_server.route(SEARCH, Canned(429, '{"title": "Too Many Requests"}', {
        "Retry-After": "Fri, 20 Nov 2026 12:05:00 GMT"}))
    source = x_source(organisation, canned_server)
    assert poll_source(source.pk).rate_limited
    source.refresh_from_db()
    assert (source.state, source.failures) == (SourceState.ACTIVE, 0)
    assert source.next_poll_at == datetime(2026, 11, 20, 12, 5, tzinfo=UTC)


def test_an_api_error_body_is_shown(organisation, canned_server):
    canned_server.route(SEARCH, Canned.file("x_error.json", status=400))
    source = x_source(organisation, canned_server)
    assert "HTTP 400" in poll_source(source.pk).error
    source.refresh_from_db()
    assert "Unmatched parenthesis" in source.last_error


def test_reply_needs_a_user_token_and_posts_in_reply_to(organisation, canned_server,
                                                       make_mention):
    canned_server.route("/2/tweets", Canned.json({"data": {"id": "1861000000000009999",
                                                           "text": "Sorry!"}}, status=201))
    mention = make_mention("late again", network="x", external_id=ID.format(5))
    without = x_source(organisation, canned_server)
    with pytest.raises(ReplyNotPossible, match="user-context token"):
        x.XConnector().reply(without, mention, "Sorry!")
    source = x_source(organisation, canned_server, user_token="user-ctx")
    assert x.XConnector().reply(source, mention, "Sorry!") == "1861000000000009999"
    sent = canned_server.to("/2/tweets")[0]
    assert sent.method == "POST" and sent.headers["authorization"] == "Bearer user-ctx"
    assert json.loads(sent.body) == {"text": "Sorry!",
                                     "reply": {"in_reply_to_tweet_id": ID.format(5)}}


@pytest.mark.parametrize(("config", "credentials", "field"), [
    ({"query": ""}, {"bearer_token": "b"}, "query"),
    ({"query": "a" * 513}, {"bearer_token": "b"}, "query"),
    ({"query": "acme"}, {}, "bearer_token"),
    ({"query": "acme", "base_url": "file:///etc"}, {"bearer_token": "b"}, "base_url"),
])
def test_configuration_errors_name_their_field(organisation, config, credentials, field):
    with pytest.raises(InvalidInput) as caught:
        create_source(organisation, kind="x", name="X", config=config, credentials=credentials)
    assert caught.value.field == field


def test_rate_limit_window_helper_handles_iso_and_epoch() -> None:
    import httpx

    from voliere.listening.sources.base import rate_limit_wait

    soon = timezone.now() + timedelta(seconds=100)
    iso = httpx.Headers({"r": "0", "t": soon.isoformat()})
    assert 95 <= rate_limit_wait(iso, remaining="r", reset="t") <= 100
    epoch = httpx.Headers({"r": "0", "t": str(int(soon.timestamp()))})
    assert 95 <= rate_limit_wait(epoch, remaining="r", reset="t") <= 100
    assert rate_limit_wait(httpx.Headers({"r": "5", "t": "1"}), remaining="r", reset="t") is None
