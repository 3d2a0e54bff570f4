"""The expertise finder and search, through the API."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import block_account, set_skills
from voliere.api.tests.conftest import error_of, fields_of
from voliere.communities.models import Kind
from voliere.communities.tests.factories import make_community
from voliere.posts.actions import publish_post

pytestmark = pytest.mark.django_db


def test_experts_ranked_with_their_skills(call, alice, bob, carol):
    set_skills(bob.account, ["PostgreSQL", "Welding"])
    set_skills(carol.account, ["Cooking"])
    body = call(alice).get("/experts", q="postgresql").json()
    assert [e["account"]["handle"] for e in body["items"]] == ["bob"]
    assert body["items"][0]["skills"] == [{"name": "PostgreSQL", "endorsements": 0}]
    assert body["items"][0]["score"] > 0


def test_experts_are_for_members_only(call, alice, app_token):
    assert call().get("/experts", q="postgresql").status_code == 401
    assert call(token=app_token("read")).get("/experts", q="postgresql").status_code == 422
    assert call(alice, "read:accounts").get("/experts", q="x").status_code == 403


def test_experts_hide_people_across_a_block(call, alice, bob):
    set_skills(bob.account, ["PostgreSQL"])
    block_account(bob.account, alice.account)
    assert call(alice).get("/experts", q="postgresql").json()["items"] == []


def test_experts_bad_query_names_q(call, alice):
    response = call(alice).get("/experts", q="from:bob")
    assert response.status_code == 422
    assert fields_of(response) == {"q"}
    missing = call(alice).get("/experts")
    assert missing.status_code == 422 and fields_of(missing) == {"q"}


def test_search_shows_what_the_caller_may_see(call, alice, bob):
    public = publish_post(alice.account, "Walrus sightings today")
    internal = publish_post(alice.account, "Walrus internal memo", visibility="internal")

    def post_ids(caller) -> set[str]:
        body = caller.get("/search", q="walrus", type="posts").json()
        assert set(body["results"]) == {"posts"}
        return {hit["id"] for hit in body["results"]["posts"]["items"]}

    assert post_ids(call()) == {str(public.id)}
    assert post_ids(call(bob)) == {str(public.id), str(internal.id)}


def test_search_highlights_escaped(call, alice):
    publish_post(alice.account, "Walrus <script>alert(1)</script>")
    hit = call().get("/search", q="walrus", type="posts").json()["results"]["posts"]["items"][0]
    assert "<mark>" in hit["snippet_html"] and "<script>" not in hit["snippet_html"]
    assert hit["url"].startswith("http")


def test_search_never_reveals_a_secret_community(call, alice, bob):
    make_community(alice, Kind.SECRET, name="Walrus cabal", slug="cabal")
    body = call(bob).get("/search", q="walrus", type="communities").json()
    assert body["results"]["communities"]["items"] == []
    response = call(bob).get("/search", q="walrus in:cabal")
    own = call(alice).get("/search", q="walrus in:cabal")
    assert response.status_code == 422 and own.status_code == 200


def test_search_errors_name_their_parameter(call):
    syntax = call().get("/search", q="-only")
    assert syntax.status_code == 422 and fields_of(syntax) == {"q"}
    kind = call().get("/search", q="walrus", type="spaceships")
    assert kind.status_code == 422 and fields_of(kind) == {"type"}
    limit = call().get("/search", q="walrus", limit=0)
    assert limit.status_code == 422 and fields_of(limit) == {"limit"}
    error_of(limit)
