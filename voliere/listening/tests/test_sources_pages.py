"""Source pages: who may see them, adding and editing with errors next to fields,
write-only credentials, state buttons, CSRF, and a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from voliere.accounts.actions import create_organisation
from voliere.listening.models import Source, SourceState
from voliere.listening.sources.actions import create_source

pytestmark = pytest.mark.django_db


def url(name: str, org: str = "acme", **kwargs: object) -> str:
    return reverse(name, kwargs={"org": org, **kwargs})


def rss(organisation, name: str = "Blog", **fields: object) -> Source:
    return create_source(organisation, kind="rss", name=name,
                         config={"url": "https://blog.example/feed.xml"}, **fields)


def x_source(organisation) -> Source:
    return create_source(organisation, kind="x", name="X", config={"query": "acme"},
                         credentials={"bearer_token": "AAAAsecretbearer9876"})


def test_non_managers_get_404_everywhere(organisation, bob, login, client):
    source = rss(organisation)
    login(bob)
    for page in (url("listening_sources"), url("listening_source_new") + "?kind=rss",
                 url("listening_source_edit", source_id=source.pk)):
        assert client.get(page).status_code == 404
    for action in ("pause", "resume", "poll", "delete"):
        assert client.post(url(f"listening_source_{action}", source_id=source.pk)
                           ).status_code == 404
    assert Source.objects.get(pk=source.pk).state == SourceState.ACTIVE


def test_anonymous_visitors_are_sent_to_sign_in(organisation, client):
    response = client.get(url("listening_sources"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_organisations_source_is_not_found(organisation, listener, login, bob):
    other = create_organisation(handle="globex", display_name="Globex", managers=[bob])
    theirs = rss(other)
    client = login(listener)
    assert client.get(url("listening_source_edit", source_id=theirs.pk)).status_code == 404
    assert client.post(url("listening_source_delete", source_id=theirs.pk)).status_code == 404
    assert Source.objects.filter(pk=theirs.pk).exists()
    assert client.get(url("listening_sources", org="globex")).status_code == 404


def test_list_shows_state_error_and_counts_in_constant_queries(
    organisation, listener, login, make_mention
):
    broken = rss(organisation, name="Broken feed")
    Source.objects.filter(pk=broken.pk).update(
        state=SourceState.BACKING_OFF, failures=2, last_error="The feed answered HTTP 503: <b>")
    make_mention("hello", source=broken)
    client = login(listener)
    client.get(url("listening_sources"))  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        response = client.get(url("listening_sources"))
    html = response.content.decode()
    assert "Broken feed" in html and "Retrying after an error" in html
    assert "2 failures in a row" in html
    assert "The feed answered HTTP 503: &lt;b&gt;" in html  # escaped
    assert '<td>1</td>' in html  # its mention count

    for n in range(6):
        rss(organisation, name=f"Feed {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("listening_sources")).status_code == 200
    assert len(many) == len(few)


def test_adding_a_feed_with_errors_next_to_fields_then_valid(organisation, listener, login):
    client = login(listener)
    chooser = client.get(url("listening_source_new"))
    assert "RSS / Atom feed" in chooser.content.decode()
    assert client.get(url("listening_source_new") + "?kind=nope").status_code == 400
    assert client.get(url("listening_source_new") + "?kind=internal").status_code == 400

    bad = client.post(url("listening_source_new") + "?kind=rss",
                      {"name": "Blog", "poll_interval": 300, "url": "ftp://blog.example/"})
    assert bad.status_code == 400
    assert bad.context["form"].errors == {
        "url": ["Feed address must be an http:// or https:// address."]}
    assert not Source.objects.exists()

    short = client.post(url("listening_source_new") + "?kind=rss",
                        {"name": "Blog", "poll_interval": 5, "url": "https://b.example/f"})
    assert short.status_code == 400 and "poll_interval" in short.context["form"].errors

    good = client.post(url("listening_source_new") + "?kind=rss",
                       {"name": "Blog", "poll_interval": 600, "url": "https://b.example/f"})
    assert good.status_code == 302
    source = Source.objects.get()
    assert (source.organisation_id, source.kind, source.config, source.poll_interval) == (
        organisation.pk, "rss", {"url": "https://b.example/f"}, 600)


def test_credentials_are_write_only(organisation, listener, login):
    client = login(listener)
    refused = client.post(url("listening_source_new") + "?kind=x", {
        "name": "X", "poll_interval": 300, "query": "", "bearer_token": "TOPSECRET-bearer"})
    assert refused.status_code == 400
    assert "TOPSECRET" not in refused.content.decode()
    assert refused.context["form"].errors == {"query": ["Search query is required."]}

    source = x_source(organisation)
    page = client.get(url("listening_source_edit", source_id=source.pk)).content.decode()
    assert "AAAAsecretbearer9876" not in page
    assert "Stored: ••••••••9876. Leave blank to keep it." in page

    kept = client.post(url("listening_source_edit", source_id=source.pk), {
        "name": "X renamed", "poll_interval": 300, "query": "acme", "bearer_token": ""})
    assert kept.status_code == 302
    source.refresh_from_db()
    assert source.name == "X renamed"
    assert source.credentials == {"bearer_token": "AAAAsecretbearer9876"}

    client.post(url("listening_source_edit", source_id=source.pk), {
        "name": "X", "poll_interval": 300, "query": "acme lang:fr",
        "bearer_token": "new-token", "user_token": "user-ctx"})
    source.refresh_from_db()
    assert source.credentials == {"bearer_token": "new-token", "user_token": "user-ctx"}
    assert source.config == {"query": "acme lang:fr"}


def test_editing_the_configuration_restarts_the_cursor(organisation, listener, login):
    source = rss(organisation)
    Source.objects.filter(pk=source.pk).update(cursor={"etag": '"v9"'})
    client = login(listener)
    client.post(url("listening_source_edit", source_id=source.pk), {
        "name": "Blog", "poll_interval": 300, "url": "https://blog.example/feed.xml"})
    assert Source.objects.get(pk=source.pk).cursor == {"etag": '"v9"'}
    client.post(url("listening_source_edit", source_id=source.pk), {
        "name": "Blog", "poll_interval": 300, "url": "https://other.example/atom"})
    assert Source.objects.get(pk=source.pk).cursor == {}


def test_pause_resume_poll_and_delete(organisation, listener, login, make_mention):
    source = rss(organisation)
    mention = make_mention("kept", source=source)
    client = login(listener)
    assert client.get(url("listening_source_pause", source_id=source.pk)).status_code == 405

    client.post(url("listening_source_pause", source_id=source.pk))
    assert Source.objects.get(pk=source.pk).state == SourceState.PAUSED
    refused = client.post(url("listening_source_poll", source_id=source.pk), follow=True)
    assert "resume it first" in refused.content.decode()
    client.post(url("listening_source_resume", source_id=source.pk))
    assert Source.objects.get(pk=source.pk).state == SourceState.ACTIVE
    done = client.post(url("listening_source_poll", source_id=source.pk), follow=True)
    assert "will be polled within a minute" in done.content.decode()

    client.post(url("listening_source_delete", source_id=source.pk))
    assert not Source.objects.filter(pk=source.pk).exists()
    mention.refresh_from_db()
    assert mention.source_id is None


def test_forms_need_the_csrf_token(organisation, listener):
    source = rss(organisation)
    client = Client(enforce_csrf_checks=True)
    client.force_login(listener)
    assert client.post(url("listening_source_delete", source_id=source.pk)).status_code == 403
    assert client.post(url("listening_source_new") + "?kind=rss", {
        "name": "B", "poll_interval": 300, "url": "https://b.example/f"}).status_code == 403
    assert Source.objects.count() == 1


def test_stored_credentials_never_follow_a_changed_address(organisation, listener, login):
    """Write-only credentials must not be sent to a server the editor chose (and read
    there): a new API address or instance needs the credentials typed again."""
    source = x_source(organisation)
    client = login(listener)
    moved = client.post(url("listening_source_edit", source_id=source.pk), {
        "name": "X", "poll_interval": 300, "query": "acme",
        "base_url": "https://attacker.example", "bearer_token": ""})
    assert moved.status_code == 400 and "bearer_token" in moved.context["form"].errors
    source.refresh_from_db()
    assert source.config.get("base_url") is None
    assert source.credentials == {"bearer_token": "AAAAsecretbearer9876"}

    mastodon = Source.objects.create(
        organisation=organisation, kind="mastodon", name="Fedi",
        config={"instance": "https://mastodon.example", "timeline": "public"},
        credentials={"access_token": "stored-mastodon-token"})
    client.post(url("listening_source_edit", source_id=mastodon.pk), {
        "name": "Fedi", "poll_interval": 300, "instance": "https://evil.example",
        "timeline": "public", "access_token": ""})
    mastodon.refresh_from_db()
    assert mastodon.config["instance"] == "https://evil.example"
    assert mastodon.credentials == {}


def test_an_organisation_has_a_bounded_number_of_sources(organisation, listener, login,
                                                         monkeypatch):
    from voliere.listening.sources import actions

    monkeypatch.setattr(actions, "MAX_SOURCES", 1)
    rss(organisation)
    refused = login(listener).post(url("listening_source_new") + "?kind=rss", {
        "name": "Second", "poll_interval": 600, "url": "https://b.example/f"})
    assert refused.status_code == 400
    assert "at most 1 sources" in refused.content.decode()
    assert Source.objects.filter(organisation=organisation).count() == 1
