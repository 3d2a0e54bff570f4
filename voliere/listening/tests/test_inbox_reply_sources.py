"""Replying to an external mention uses the credentials of the replying organisation's own
sources, never those of the organisation whose source happened to collect the (shared)
mention first. The instance is a canned Mastodon API on loopback that records requests."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import create_organisation
from voliere.listening.inbox import actions
from voliere.listening.models import InboxItem, InboxState, Source, Topic
from voliere.listening.sources.mastodon import instance_network
from voliere.listening.tests.sources_server import Canned, canned_server
from voliere.listening.tests.test_inbox_helpers import match_and_route

__all__ = ["canned_server"]
pytestmark = pytest.mark.django_db


def mastodon_source(organisation, instance: str, token: str) -> Source:
    return Source.objects.create(organisation=organisation, kind="mastodon", name="Fedi",
                                 config={"instance": instance, "timeline": "public"},
                                 credentials={"access_token": token} if token else {})


@pytest.fixture
def shared(organisation, bob, canned_server, make_mention):
    """Acme's source (with acme's token) collected a mention that globex's topic matches."""
    canned_server.route("/api/v1/statuses", Canned.json({"id": "777"}))
    instance = canned_server.base_url
    acme_source = mastodon_source(organisation, instance, "acme-secret-token")
    globex = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    topic = Topic.objects.create(organisation=globex, name="Globex", query="globex")
    mention = make_mention("globex lost my parcel", network=instance_network(instance),
                           external_id="42", author_handle="eve", source=acme_source,
                           sentiment="negative")
    match_and_route(mention, topic)
    return globex, InboxItem.objects.get(organisation=globex, mention=mention)


def test_another_organisations_token_is_never_used(shared, bob, canned_server):
    globex, item = shared
    with pytest.raises(actions.ReplyUnavailable, match="Globex has no source"):
        actions.reply_to_item(bob, item, "We are on it.")
    assert canned_server.to("/api/v1/statuses") == []
    assert InboxItem.objects.get(pk=item.pk).state == InboxState.NEW


def test_the_organisations_own_source_on_that_instance_replies(shared, bob, canned_server):
    globex, item = shared
    mastodon_source(globex, "https://elsewhere.example", "wrong-instance-token")
    mastodon_source(globex, canned_server.base_url, "globex-token")
    item = actions.reply_to_item(bob, item, "We are on it.")
    (sent,) = canned_server.to("/api/v1/statuses")
    assert sent.headers["authorization"] == "Bearer globex-token"
    assert item.reply_external_id == "777" and item.state == InboxState.ANSWERED
