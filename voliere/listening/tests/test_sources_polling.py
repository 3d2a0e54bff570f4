"""The poll lifecycle: backoff and recovery, rate limits, giving up, resuming, claiming,
and `voliere listen poll --once`."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from voliere.cli import main
from voliere.core.exceptions import InvalidInput
from voliere.listening.models import Mention, Source, SourceState
from voliere.listening.sources import polling
from voliere.listening.sources.actions import create_source, pause_source, resume_source
from voliere.listening.sources.polling import (
    MAX_FAILURES,
    claim_due_sources,
    move,
    poll_due_sources,
    poll_source,
)
from voliere.listening.tests.sources_server import (
    Canned,
    CannedServer,
    canned_server,
)

__all__ = ["canned_server"]
pytestmark = pytest.mark.django_db

FEED = Canned.file("feed.rss", "application/rss+xml")


def feed_source(organisation, server: CannedServer, name: str = "Gadgets") -> Source:
    return create_source(organisation, kind="rss", name=name,
                         config={"url": server.url("/rss")}, poll_interval=600)


def test_server_errors_back_off_then_recover_with_nothing_lost(
    organisation, canned_server: CannedServer, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    canned_server.route("/rss", [Canned(503, "down"), Canned(502, "still down"), FEED])
    source = feed_source(organisation, canned_server)

    assert "HTTP 503" in poll_due_sources()[0].error
    source.refresh_from_db()
    assert (source.state, source.failures) == (SourceState.BACKING_OFF, 1)
    first_delay = (source.next_poll_at - timezone.now()).total_seconds()
    assert 24 <= first_delay <= 36  # 30 s ± 20 % jitter
    assert poll_due_sources() == []  # not due yet

    time_machine.shift(timedelta(seconds=first_delay + 1))
    assert "HTTP 502" in poll_due_sources()[0].error
    source.refresh_from_db()
    assert (source.state, source.failures) == (SourceState.BACKING_OFF, 2)
    assert 48 <= (source.next_poll_at - timezone.now()).total_seconds() <= 72
    assert Mention.objects.count() == 0

    time_machine.shift(timedelta(seconds=73))
    outcome = poll_due_sources()[0]
    assert (outcome.new, outcome.error) == (2, "")
    source.refresh_from_db()
    assert (source.state, source.failures) == (SourceState.ACTIVE, 0)
    assert source.next_poll_at == timezone.now() + timedelta(seconds=600)
    assert "HTTP 502" in source.last_error  # kept for the record, shown as the last error
    assert Mention.objects.filter(source=source).count() == 2


def test_too_many_failures_mark_the_source_failed_until_resumed(
    organisation, canned_server: CannedServer
):
    canned_server.route("/rss", Canned(500, "broken"))
    source = feed_source(organisation, canned_server)
    for _ in range(MAX_FAILURES):
        poll_source(source.pk)
    source.refresh_from_db()
    assert (source.state, source.failures) == (SourceState.FAILED, MAX_FAILURES)
    assert poll_source(source.pk).skipped
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now() - timedelta(days=1))
    assert claim_due_sources() == []

    canned_server.route("/rss", FEED)
    resumed = resume_source(source)
    assert (resumed.state, resumed.failures) == (SourceState.ACTIVE, 0)
    assert poll_due_sources()[0].new == 2


def test_backoff_is_capped_at_an_hour() -> None:
    assert all(polling.backoff_delay(n) <= 3600 for n in range(1, 40))
    assert polling.backoff_delay(30) >= 3600 * 0.8 or polling.backoff_delay(30) == 3600


def test_429_with_retry_after_postpones_without_counting_a_failure(
    organisation, canned_server: CannedServer, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    canned_server.route("/rss", Canned(429, "slow down", {"Retry-After": "900"}))
    source = feed_source(organisation, canned_server)
    outcome = poll_source(source.pk)
    assert outcome.rate_limited and not outcome.error
    source.refresh_from_db()
    assert (source.state, source.failures, source.last_error) == (SourceState.ACTIVE, 0, "")
    assert source.next_poll_at == timezone.now() + timedelta(seconds=900)


def test_paused_sources_are_not_polled_and_transitions_are_declared(
    organisation, canned_server: CannedServer
):
    canned_server.route("/rss", FEED)
    source = pause_source(feed_source(organisation, canned_server))
    assert source.state == SourceState.PAUSED
    assert poll_due_sources() == []
    assert canned_server.requests == []
    with pytest.raises(InvalidInput, match="cannot pause"):
        pause_source(source)
    with pytest.raises(InvalidInput):
        move(SourceState.ACTIVE, "resume")
    assert resume_source(source).state == SourceState.ACTIVE


def test_a_claimed_source_is_not_claimed_again_until_the_lease_ends(
    organisation, canned_server: CannedServer, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    source = feed_source(organisation, canned_server)
    assert claim_due_sources() == [source.pk]
    assert claim_due_sources() == []
    time_machine.shift(polling.CLAIM_LEASE + timedelta(seconds=1))
    assert claim_due_sources() == [source.pk]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks (SKIP LOCKED) need PostgreSQL; SQLite's compare-and-set "
                           "claim is covered by the lease test above")
@pytest.mark.django_db(transaction=True)
def test_concurrent_pollers_never_claim_the_same_source(organisation, canned_server):
    sources = [feed_source(organisation, canned_server, name=f"Feed {n}") for n in range(12)]
    claims: list[list[int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def claimer() -> None:
        try:
            start.wait()
            claims.append(claim_due_sources(limit=12))
        except BaseException as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    claimed = [pk for claim in claims for pk in claim]
    assert sorted(claimed) == sorted(s.pk for s in sources)  # each exactly once


def test_listen_poll_once_prints_a_line_per_source(
    organisation, canned_server: CannedServer, capsys
):
    canned_server.route("/rss", FEED)
    canned_server.route("/broken", Canned(500, "oops"))
    feed_source(organisation, canned_server)
    create_source(organisation, kind="rss", name="Broken", config={
        "url": canned_server.url("/broken")})

    assert main(["listen", "poll", "--once"]) == 1
    out = capsys.readouterr().out
    assert "Gadgets: 2 new, 0 duplicate, 0 rejected" in out
    assert "Broken: error: The feed answered HTTP 500: oops" in out

    assert main(["listen", "poll", "--once"]) == 0
    assert "no source due" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_the_worker_poller_thread_polls_due_sources(organisation, canned_server, settings):
    """What `voliere worker` (and so `serve`/`demo`) runs beside its task loop."""
    from voliere.listening.sources.background import SourcePoller, start_source_poller

    settings.LISTENING_POLL_INTERVAL = 0
    assert start_source_poller(["listening"]) is None
    settings.LISTENING_POLL_INTERVAL = 30
    assert start_source_poller(["timelines"]) is None

    served = threading.Event()

    def answer(request):
        served.set()
        return FEED

    canned_server.route("/rss", answer)
    source = feed_source(organisation, canned_server)
    poller = SourcePoller(interval=0.05).start()
    try:
        assert served.wait(20)
        deadline = threading.Event()
        for _ in range(400):  # the round commits just after the answer
            if Mention.objects.filter(source=source).count() == 2:
                break
            deadline.wait(0.05)
    finally:
        poller.stop()
    assert Mention.objects.filter(source=source).count() == 2
    assert len(canned_server.to("/rss")) == 1  # next poll only after poll_interval
    assert poller.rounds >= 1
