"""The Mastodon connector against a second, real Volière instance on loopback (its Mastodon
client API), and against canned answers for what a healthy instance rarely does (spent
quotas, 429 in the middle of a walk, links pointing elsewhere).

The live part needs the server to share the test database: PostgreSQL always does; on
SQLite run with `-p tests.conftest` (or in the full suite), which puts it in a file.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.conftest import asgi_server  # noqa: F401 — the live server fixture
from voliere.core.exceptions import InvalidInput
from voliere.listening.models import Mention, Source
from voliere.listening.sources.actions import create_source
from voliere.listening.sources.base import ReplyNotPossible
from voliere.listening.sources.mastodon import MastodonConnector, instance_network
from voliere.listening.sources.polling import poll_source
from voliere.listening.tests.sources_server import (
    Canned,
    CannedServer,
    canned_server,
    instance,
)
from voliere.oauth import actions as oauth
from voliere.posts.actions import publish_post
from voliere.posts.models import Post

__all__ = ["canned_server", "instance"]


def mastodon_source(organisation, instance_url: str, **config: str) -> Source:
    return create_source(organisation, kind="mastodon", name="Instance",
                         config={"instance": instance_url, **config})


def due_now(source: Source) -> None:
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_public_timeline_is_collected_incrementally_and_paged(instance, organisation, carol,
                                                              bob):
    publish_post(bob.account, "Bonjour, la nouvelle fusée Acme est superbe !", language="fr")
    first_two = [publish_post(carol.account, f"Acme anvil review {n}") for n in range(2)]
    publish_post(carol.account, "followers only", visibility="followers")
    source = mastodon_source(organisation, instance.url)

    first = poll_source(source.pk)
    assert (first.new, first.duplicate, first.error) == (3, 0, "")
    network = instance_network(instance.url)
    mention = Mention.objects.get(network=network, external_id=str(first_two[1].pk))
    assert mention.text == "Acme anvil review 1"
    assert mention.author_handle == "carol@127.0.0.1"
    assert mention.source_id == source.pk
    french = Mention.objects.get(text__startswith="Bonjour")
    assert french.lang == "fr" and french.author_handle == "bob@127.0.0.1"
    assert not Mention.objects.filter(text="followers only").exists()
    source.refresh_from_db()
    assert source.cursor == {"min_id": str(first_two[1].pk)}

    due_now(source)
    again = poll_source(source.pk)
    assert (again.new, again.duplicate) == (0, 0)  # min_id: the instance sends nothing

    # More than one page (40) since the cursor: the walk follows the Link headers forward.
    later = [publish_post(carol.account, f"Acme update {n}") for n in range(45)]
    due_now(source)
    walked = poll_source(source.pk)
    assert (walked.new, walked.duplicate, walked.error) == (45, 0, "")
    source.refresh_from_db()
    assert source.cursor == {"min_id": str(later[-1].pk)}
    assert Mention.objects.filter(network=network).count() == 48


@pytest.mark.django_db(transaction=True)
def test_hashtag_timeline_and_replies_through_the_instance(instance, organisation, carol,
                                                           alice):
    tagged = publish_post(carol.account, "Launch day! #AcmeRocket")
    publish_post(carol.account, "nothing to see")
    source = mastodon_source(organisation, instance.url, timeline="hashtag",
                             hashtag="#acmerocket")
    assert source.config["hashtag"] == "acmerocket"
    assert poll_source(source.pk).new == 1
    mention = Mention.objects.get(network=instance_network(instance.url))
    assert mention.external_id == str(tagged.pk) and mention.hashtags == ["acmerocket"]

    connector = MastodonConnector()
    with pytest.raises(ReplyNotPossible, match="no access token"):
        connector.reply(source, mention, "Thanks!")
    application = oauth.register_application(
        name="Listening", redirect_uris="urn:ietf:wg:oauth:2.0:oob", scopes="read write")
    token = oauth.issue_token(application=application, user=alice, scopes=["read", "write"],
                              grant_type="personal", account=organisation).secret
    Source.objects.filter(pk=source.pk).update(credentials={"access_token": token})
    source.refresh_from_db()
    reply_id = connector.reply(source, mention, "Thanks for the launch photos!")
    reply = Post.objects.get(pk=int(reply_id))
    assert reply.in_reply_to_id == tagged.pk and reply.author_id == organisation.pk
    assert reply.text == "@carol Thanks for the launch photos!"


def status(number: int, **fields: object) -> dict:
    """A status in the documented Mastodon entity format."""
    return {
        "id": str(number), "uri": f"https://social.example/users/ann/statuses/{number}",
        "url": f"https://social.example/@ann/{number}",
        "created_at": (datetime(2026, 11, 20, tzinfo=UTC) + timedelta(minutes=number)
                       ).isoformat().replace("+00:00", ".000Z"),
        "content": f"<p>Acme post {number} <a href=\"https://social.example/tags/acme\" "
                   f"class=\"mention hashtag\">#<span>acme</span></a></p>",
        "spoiler_text": "", "language": "en", "in_reply_to_id": None, "reblog": None,
        "tags": [{"name": "acme", "url": "https://social.example/tags/acme"}],
        "account": {"id": "7", "username": "ann", "acct": "ann@elsewhere.example",
                    "display_name": "Ann", "followers_count": 1234,
                    "url": "https://elsewhere.example/@ann"},
        **fields,
    }


@pytest.mark.django_db
def test_spent_quota_postpones_the_next_poll(organisation, canned_server: CannedServer,
                                             time_machine):
    time_machine.move_to(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), tick=False)
    canned_server.route("/api/v1/timelines/public", Canned.json(
        [status(2), status(1)], **{"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                                   "X-RateLimit-Reset": "2026-11-20T12:20:00.000Z"}))
    source = mastodon_source(organisation, canned_server.base_url, timeline="local")
    outcome = poll_source(source.pk)
    assert (outcome.new, outcome.rate_limited) == (2, True)
    source.refresh_from_db()
    assert source.next_poll_at == datetime(2026, 11, 20, 12, 20, tzinfo=UTC)
    assert canned_server.requests[0].param("local") == "true"
    mention = Mention.objects.get(external_id="1")
    assert mention.author_handle == "ann@elsewhere.example"
    assert mention.author_followers == 1234 and mention.text == "Acme post 1 #acme"


@pytest.mark.django_db
def test_429_mid_walk_keeps_the_pages_read_and_resumes_after_them(
    organisation, canned_server: CannedServer
):
    pages = [Canned.json([status(n) for n in range(140, 100, -1)]),
             Canned(429, "slow down", {"Retry-After": "120"}),
             Canned.json([status(n) for n in range(150, 140, -1)])]
    canned_server.route("/api/v1/timelines/public", pages)
    source = mastodon_source(organisation, canned_server.base_url)
    Source.objects.filter(pk=source.pk).update(cursor={"min_id": "100"},
                                               credentials={"access_token": "s3cret"})
    outcome = poll_source(source.pk)
    assert (outcome.new, outcome.rate_limited, outcome.error) == (40, True, "")
    source.refresh_from_db()
    assert source.cursor == {"min_id": "140"}
    assert 115 < (source.next_poll_at - timezone.now()).total_seconds() <= 120
    sent = canned_server.requests
    assert [r.param("min_id") for r in sent] == ["100", "140"]
    assert all(r.headers["authorization"] == "Bearer s3cret" for r in sent)

    due_now(source)
    resumed = poll_source(source.pk)
    assert (resumed.new, resumed.duplicate) == (10, 0)
    assert canned_server.requests[-1].param("min_id") == "140"
    assert Mention.objects.filter(external_id__in=[str(n) for n in range(101, 151)]).count() == 50


@pytest.mark.django_db
def test_link_headers_to_another_host_are_not_followed(organisation, canned_server):
    canned_server.route("/api/v1/timelines/public", [
        Canned.json([status(n) for n in range(80, 40, -1)],
                    Link='<http://localhost:1/api/v1/timelines/public?min_id=80>; rel="prev"'),
        Canned.json([])])
    source = mastodon_source(organisation, canned_server.base_url)
    Source.objects.filter(pk=source.pk).update(cursor={"min_id": "40"},
                                               credentials={"access_token": "s3cret"})
    assert poll_source(source.pk).new == 40
    assert [r.param("min_id") for r in canned_server.requests] == ["40", "80"]


@pytest.mark.django_db
@pytest.mark.parametrize(("config", "field"), [
    ({"instance": "ftp://x.example"}, "instance"),
    ({"instance": "https://x.example", "timeline": "home"}, "timeline"),
    ({"instance": "https://x.example", "timeline": "hashtag"}, "hashtag"),
    ({"instance": "https://x.example", "timeline": "hashtag", "hashtag": "a b"}, "hashtag"),
    ({"instance": "https://x.example", "timeline": "search"}, "query"),
])
def test_configuration_errors_name_their_field(organisation, config, field):
    with pytest.raises(InvalidInput) as caught:
        create_source(organisation, kind="mastodon", name="M", config=config)
    assert caught.value.field == field
