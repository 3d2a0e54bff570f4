"""Every listening page, probed as an attacker would: another organisation's manager,
an anonymous visitor, and garbage in every parameter. Nothing may leak, change or crash."""

from __future__ import annotations

import pytest
from django.urls import reverse

from voliere.accounts.actions import create_organisation
from voliere.listening.models import (
    Alert,
    AlertChannel,
    InboxItem,
    Source,
    SourceKind,
    Topic,
    TopicMatch,
)


@pytest.fixture
def acme_objects(organisation, make_topic, make_mention):
    topic = make_topic("Acme", "acme")
    mention = make_mention("acme is great", url="https://example.com/1")
    TopicMatch.objects.create(topic=topic, mention=mention, published_at=mention.published_at)
    source = Source.objects.create(organisation=organisation, kind=SourceKind.RSS, name="Feed",
                                   config={"url": "https://example.com/feed"})
    alert = Alert.objects.create(topic=topic, kind="burst", episode_key="k", title="Burst")
    channel = AlertChannel.objects.create(organisation=organisation, kind="email",
                                          target="ops@example.com")
    item = InboxItem.objects.create(organisation=organisation, mention=mention,
                                    reason="question")
    return {"topic_id": topic.pk, "source_id": source.pk, "alert_id": alert.pk,
            "channel_id": channel.pk, "item_id": item.pk}


OBJECT_URLS = [
    ("listening_topic_edit", "topic_id"), ("listening_topic_active", "topic_id"),
    ("listening_topic_backfill", "topic_id"), ("listening_topic_delete", "topic_id"),
    ("listening_topic_dashboard", "topic_id"),
    ("listening_source_edit", "source_id"), ("listening_source_pause", "source_id"),
    ("listening_source_resume", "source_id"), ("listening_source_poll", "source_id"),
    ("listening_source_delete", "source_id"),
    ("listening_alert", "alert_id"), ("listening_alert_acknowledge", "alert_id"),
    ("listening_alert_channel_delete", "channel_id"),
    ("listening_alert_channel_toggle", "channel_id"),
    ("listening_inbox_item", "item_id"), ("listening_inbox_assign", "item_id"),
    ("listening_inbox_reply", "item_id"), ("listening_inbox_answered", "item_id"),
    ("listening_inbox_close", "item_id"), ("listening_inbox_reopen", "item_id"),
]


def snapshot():
    return [list(model.objects.order_by("pk").values()) for model in
            (Topic, Source, Alert, AlertChannel, InboxItem)]


def test_other_organisations_manager_gets_404_everywhere(acme_objects, bob, login):
    create_organisation(handle="globex", display_name="Globex", managers=[bob])
    client = login(bob)
    before = snapshot()
    for name, key in OBJECT_URLS:
        for org in ("acme", "globex"):
            url = reverse(name, kwargs={"org": org, key: acme_objects[key]})
            for method in (client.get, client.post):
                response = method(url, {"text": "hi", "assignee": "me"}, HTTP_HX_REQUEST="true")
                assert response.status_code in (404, 405), (url, method, response.status_code)
    assert snapshot() == before


HUGE = 10**20


def test_huge_ids_are_404_not_500(acme_objects, login, listener):
    client = login(listener)
    for name, key in OBJECT_URLS:
        url = reverse(name, kwargs={"org": "acme", key: HUGE})
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (404, 405), (url, response.status_code)


GARBAGE = ["", "x", "-1", "0", str(HUGE), "1e3", "٣", "<script>", "\x00", "a" * 5000,
           "2026-13-45"]
LIST_URLS = ["listening_topics",
             "listening_topic_new", "listening_topic_preview", "listening_sources",
             "listening_source_new", "listening_alerts", "listening_alert_channels",
             "listening_inbox"]
PARAMS = ["kind", "state", "reason", "topic", "after", "before", "network", "query", "next",
          "max_id", "min_id", "since_id", "limit", "sentiment", "lang", "side", "author",
          "hashtag", "term", "source"]


def garbage_failures(client, names: list[str]) -> list[tuple]:
    """Each (url, parameter, value, status) that answered 5xx or echoed markup unescaped."""
    client.raise_request_exception = False
    failures = []
    for name in names:
        url = reverse(name, kwargs={"org": "acme"})
        for param in PARAMS:
            for value in GARBAGE:
                response = client.get(url, {param: value})
                if response.status_code >= 500 or b"<script>" in response.content:
                    failures.append((url, param, value[:20], response.status_code))
    return failures


def test_garbage_parameters_never_crash(acme_objects, login, listener):
    assert garbage_failures(login(listener), LIST_URLS) == []


def test_garbage_parameters_never_crash_the_dashboard(acme_objects, login, listener):
    assert garbage_failures(login(listener), ["listening_dashboard", "listening_mentions"]) == []



def test_anonymous_visitors_are_sent_to_sign_in(acme_objects, client):
    before = snapshot()
    for name, key in OBJECT_URLS:
        url = reverse(name, kwargs={"org": "acme", key: acme_objects[key]})
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 405), (url, response.status_code)
            if response.status_code == 302:
                assert "/login" in response["Location"] or "sign" in response["Location"]
    assert snapshot() == before


FORMS = {
    "listening_topic_new": ["name", "kind", "query"],
    "listening_source_new": ["kind", "name", "poll_interval", "url", "instance", "timeline",
                             "hashtag", "query", "base_url", "lang", "access_token"],
    "listening_alert_channels": ["kind", "target"],
}
KINDS = ["", "rss", "mastodon", "bluesky", "x", "internal", "import", "webhook", "email"]


def test_garbage_forms_answer_4xx_with_messages(acme_objects, login, listener):
    client = login(listener)
    client.raise_request_exception = False
    failures = []
    for name, fields in FORMS.items():
        url = reverse(name, kwargs={"org": "acme"})
        for kind in KINDS:
            for value in GARBAGE:
                data = {field: value for field in fields} | {"kind": kind}
                response = client.post(url + f"?kind={kind}", data)
                if response.status_code >= 500 or b"<script>" in response.content:
                    failures.append((name, kind, value[:20], response.status_code))
    item = acme_objects["item_id"]
    for value in GARBAGE:
        for action in ("listening_inbox_assign", "listening_inbox_reply"):
            url = reverse(action, kwargs={"org": "acme", "item_id": item})
            response = client.post(url, {"assignee": value, "text": value, "next": value})
            if response.status_code >= 500:
                failures.append((action, value[:20], response.status_code))
    assert failures == []
