"""Topic pages: managers only (404 for everyone else), CSRF-protected forms, errors next to
their field with the query marker, escaped content, and a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voliere.accounts.actions import create_organisation
from voliere.listening.matches import save_matches
from voliere.listening.models import BackfillState, Topic

pytestmark = pytest.mark.django_db


def url(name: str, org: str = "acme", **kwargs: object) -> str:
    return reverse(name, kwargs={"org": org, **kwargs})


def test_non_managers_get_404_on_every_topic_url(organisation, make_topic, bob, login, client):
    topic = make_topic("Acme", "acme")
    login(bob)
    for page in (url("listening_topics"), url("listening_topic_new"),
                 url("listening_topic_preview") + "?query=acme",
                 url("listening_topic_edit", topic_id=topic.pk),
                 url("listening_topic_delete", topic_id=topic.pk)):
        assert client.get(page).status_code == 404, page
    for name in ("listening_topic_edit", "listening_topic_delete", "listening_topic_active",
                 "listening_topic_backfill"):
        assert client.post(url(name, topic_id=topic.pk),
                           {"name": "x", "query": "x", "kind": "brand"}).status_code == 404
    assert client.post(url("listening_topic_new"),
                       {"name": "x", "query": "x", "kind": "brand"}).status_code == 404
    assert list(Topic.objects.values_list("name", "is_active")) == [("Acme", True)]


def test_anonymous_visitors_are_sent_to_sign_in(organisation, client):
    response = client.get(url("listening_topics"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_organisations_topic_is_not_found(organisation, listener, login, bob):
    other = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    theirs = Topic.objects.create(organisation=other, name="Theirs", query="x")
    client = login(listener)
    assert client.get(url("listening_topic_edit", topic_id=theirs.pk)).status_code == 404
    assert client.post(url("listening_topic_delete", topic_id=theirs.pk)).status_code == 404
    assert client.get(url("listening_topics", org="globex")).status_code == 404
    assert Topic.objects.filter(pk=theirs.pk).exists()


def test_forms_are_csrf_protected(organisation, make_topic, listener):
    topic = make_topic("Acme", "acme")
    client = Client(enforce_csrf_checks=True)
    client.force_login(listener)
    page = client.get(url("listening_topic_new"))
    assert b"csrfmiddlewaretoken" in page.content
    data = {"name": "Globex", "query": "globex", "kind": "competitor"}
    assert client.post(url("listening_topic_new"), data).status_code == 403
    assert client.post(url("listening_topic_delete", topic_id=topic.pk)).status_code == 403
    assert client.post(url("listening_topic_active", topic_id=topic.pk),
                       {"active": "0"}).status_code == 403
    assert list(Topic.objects.values_list("name", "is_active")) == [("Acme", True)]


def test_create_backfills_then_the_list_shows_the_matches(organisation, listener, login,
                                                           make_mention, run_on_commit):
    make_mention("Globex is cheaper", network="internal")
    make_mention("GLOBEX again", network="internal")
    make_mention("nothing", network="internal")
    client = login(listener)
    with run_on_commit():  # the backfill task runs (immediate backend) after the commit
        response = client.post(url("listening_topic_new"),
                               {"name": "Globex", "query": "globex", "kind": "competitor"})
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert (topic.name, topic.kind, topic.created_by) == ("Globex", "competitor", listener)
    page = client.get(url("listening_topics")).content.decode()
    assert "Globex" in page and "Competitor" in page
    assert '<td class="num">2</td>' in page
    assert "Up to date (3 posts checked)" in page
    assert "every 2s" not in page


def test_query_error_is_shown_next_to_the_query_with_a_marker(organisation, listener, login):
    client = login(listener)
    response = client.post(url("listening_topic_new"),
                           {"name": "Acme", "query": "acme AND (cloud", "kind": "brand"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "unbalanced parenthesis: &#x27;(&#x27; at 9 is never closed" in page
    assert 'acme AND <mark class="query-fault">(</mark>cloud' in page
    assert not Topic.objects.exists()


def test_duplicate_name_is_shown_on_the_name_field(organisation, make_topic, listener, login):
    make_topic("Acme", "acme")
    response = login(listener).post(url("listening_topic_new"),
                                    {"name": "acme", "query": "acme cloud", "kind": "brand"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["Another topic is already called “acme”."]
    assert Topic.objects.count() == 1


def test_edit_pause_and_delete_with_confirmation(organisation, make_topic, listener, login):
    topic = make_topic("Acme", "acme")
    client = login(listener)
    assert "acme" in client.get(url("listening_topic_edit", topic_id=topic.pk)).content.decode()
    response = client.post(url("listening_topic_edit", topic_id=topic.pk),
                           {"name": "Acme", "query": "acme -jobs", "kind": "brand"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.query, topic.query_version) == ("acme -jobs", 2)
    client.post(url("listening_topic_active", topic_id=topic.pk), {"active": "0"})
    assert Topic.objects.get(pk=topic.pk).is_active is False
    confirm = client.get(url("listening_topic_delete", topic_id=topic.pk))
    assert confirm.status_code == 200 and Topic.objects.exists()
    assert b'method="post"' in confirm.content
    assert client.post(url("listening_topic_delete", topic_id=topic.pk)).status_code == 302
    assert not Topic.objects.exists()


def test_user_content_is_escaped(organisation, make_topic, make_mention, listener, login):
    make_topic("<script>alert(1)</script>", '"<img src=x onerror=alert(1)>"')
    page = login(listener).get(url("listening_topics")).content.decode()
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_list_shows_recent_matches_and_polls_while_a_backfill_runs(
        organisation, make_topic, make_mention, listener, login):
    running = make_topic("Acme", "acme", backfill_state=BackfillState.RUNNING,
                         backfill_total=200, backfill_done=50)
    save_matches([(running.pk, make_mention("acme", network="internal")),
                  (running.pk, make_mention("acme again", network="internal"))])
    client = login(listener)
    page = client.get(url("listening_topics")).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert '<progress max="200" value="50">' in page
    assert '<td class="num">2</td>' in page
    Topic.objects.filter(pk=running.pk).update(backfill_state=BackfillState.IDLE)
    fragment = client.get(url("listening_topics"), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('\n<div id="topic-table"') or 'id="topic-table"' in fragment
    assert "every 2s" not in fragment and "<html" not in fragment


def test_topic_list_queries_do_not_grow_with_topics(organisation, make_topic, make_mention,
                                                     listener, login):
    client = login(listener)
    make_topic("T0", "t0")
    client.get(url("listening_topics"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(url("listening_topics"))
    for n in range(1, 12):
        topic = make_topic(f"T{n}", f"t{n}")
        save_matches([(topic.pk, make_mention(f"t{n}", network="internal"))])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("listening_topics"))
    assert response.content.decode().count('class="topic-row') == 12
    assert len(many) == len(few)
