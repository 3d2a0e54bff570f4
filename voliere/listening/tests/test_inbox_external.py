"""Replying to an external mention through the Mastodon connector, against a real Volière
instance on loopback (its Mastodon API): the reply is a real status on that instance.

The instance is the `asgi_server` fixture (uvicorn on the test database): the mention is a
post of that instance seen from outside, as the connector would have collected it. The
server must share the test database: PostgreSQL always does; on SQLite the database must
be a file, which `tests/conftest.py`'s hooks arrange (full runs, or `-p tests.conftest`).
"""

from __future__ import annotations

import pytest

from tests.conftest import asgi_server  # noqa: F401 — the live server fixture
from voliere.listening.inbox import actions
from voliere.listening.models import InboxItem, InboxState, Source
from voliere.listening.sources.mastodon import instance_network
from voliere.listening.tests.sources_server import instance
from voliere.listening.tests.test_inbox_helpers import brand_fixture, match_and_route  # noqa: F401
from voliere.oauth import actions as oauth
from voliere.posts.actions import publish_post
from voliere.posts.models import Post

__all__ = ["instance"]
pytestmark = pytest.mark.django_db(transaction=True)


def _token(user, account, scopes: str) -> str:
    application = oauth.register_application(
        name="Listening replies", redirect_uris="urn:ietf:wg:oauth:2.0:oob", scopes="read write"
    )
    return oauth.issue_token(application=application, user=user, scopes=scopes.split(),
                             grant_type="personal", account=account).secret


def _external_item(instance, organisation, brand, carol, make_mention, credentials):
    parent = publish_post(carol.account, "acme support never answers")
    source = Source.objects.create(
        organisation=organisation, kind="mastodon", name="Our instance",
        config={"instance": instance.url, "timeline": "public"}, credentials=credentials,
    )
    mention = make_mention(parent.text, network=instance_network(instance.url),
                           external_id=str(parent.pk), author_handle="carol", source=source,
                           sentiment="negative", url=f"{instance.url}/posts/{parent.pk}")
    match_and_route(mention, brand)
    return InboxItem.objects.get(mention=mention), parent


def test_reply_goes_out_through_the_instance_api(
    instance, organisation, brand, listener, carol, make_mention,
):
    token = _token(listener, organisation, "read write")
    item, parent = _external_item(instance, organisation, brand, carol, make_mention,
                                  {"access_token": token})
    item = actions.reply_to_item(listener, item, "Sorry Carol, a person will call you today.")
    reply = Post.objects.get(in_reply_to=parent)
    assert reply.author == organisation
    assert reply.text == "@carol Sorry Carol, a person will call you today."
    assert item.reply_external_id == str(reply.pk)
    assert item.reply_post_id is None
    assert item.state == InboxState.ANSWERED and item.first_response_at is not None


def test_source_without_credentials_says_so_and_allows_mark_answered(
    instance, organisation, brand, listener, carol, make_mention,
):
    item, parent = _external_item(instance, organisation, brand, carol, make_mention, {})
    with pytest.raises(actions.ReplyUnavailable) as refused:
        actions.reply_to_item(listener, item, "Sorry!")
    assert "no access token" in refused.value.message
    assert "then mark it answered" in refused.value.message
    assert not Post.objects.filter(in_reply_to=parent).exists()
    assert actions.mark_answered(listener, item).state == InboxState.ANSWERED


def test_read_only_token_is_refused_by_the_instance(
    instance, organisation, brand, listener, carol, make_mention,
):
    token = _token(listener, organisation, "read")
    item, parent = _external_item(instance, organisation, brand, carol, make_mention,
                                  {"access_token": token})
    with pytest.raises(actions.ReplyUnavailable) as refused:
        actions.reply_to_item(listener, item, "Sorry!")
    assert "write:statuses" in refused.value.message
    assert not Post.objects.filter(in_reply_to=parent).exists()
    assert InboxItem.objects.get(pk=item.pk).state == InboxState.NEW
