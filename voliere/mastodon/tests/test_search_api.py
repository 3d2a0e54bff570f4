"""`/api/v2/search` and `/api/v1/search`: shapes, parameters, permissions."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import block_account, follow_account
from voliere.posts.actions import publish_post

pytestmark = pytest.mark.django_db


def test_v2_finds_accounts_statuses_hashtags(api_client, alice, bob):
    post = publish_post(bob.account, "planning the #bobcat offsite")
    body = api_client(alice, "read").get("/api/v2/search", {"q": "bob"}).json()
    assert [a["id"] for a in body["accounts"]] == [str(bob.account.id)]
    assert [h["name"] for h in body["hashtags"]] == ["bobcat"]
    assert body["hashtags"][0]["url"].endswith("/tags/bobcat/")
    statuses = api_client(alice, "read").get("/api/v2/search", {"q": "offsite"}).json()
    assert [s["id"] for s in statuses["statuses"]] == [str(post.id)]
    v1 = api_client(alice, "read").get("/api/v1/search", {"q": "bob"}).json()
    assert v1["hashtags"] == ["bobcat"]


def test_type_limit_offset_following_account_id(api_client, alice, bob, carol, make_user):
    for n in range(3):
        make_user(f"team{n}")
    client = api_client(alice, "read")
    only = client.get("/api/v2/search", {"q": "team", "type": "accounts", "limit": 2}).json()
    assert len(only["accounts"]) == 2 and only["statuses"] == [] and only["hashtags"] == []
    rest = client.get("/api/v2/search", {"q": "team", "type": "accounts", "offset": 2}).json()
    assert len(rest["accounts"]) == 1
    assert rest["accounts"][0]["id"] not in {a["id"] for a in only["accounts"]}
    follow_account(alice.account, bob.account)
    publish_post(bob.account, "word from bob")
    publish_post(carol.account, "word from carol")
    followed = client.get("/api/v2/search", {"q": "word", "following": "true"}).json()
    assert [s["account"]["id"] for s in followed["statuses"]] == [str(bob.account.id)]
    by_carol = client.get("/api/v2/search", {"q": "word", "account_id": carol.account.id})
    assert [s["account"]["id"] for s in by_carol.json()["statuses"]] == [str(carol.account.id)]


def test_resolve_is_local_and_exact(api_client, alice, bob):
    client = api_client(alice, "read")
    found = client.get("/api/v2/search", {"q": "@bob@testserver", "resolve": "true"}).json()
    assert [a["acct"] for a in found["accounts"]] == ["bob"]
    remote = client.get("/api/v2/search", {"q": "@bob@elsewhere.example", "resolve": "1"})
    assert remote.json()["accounts"] == []
    post = publish_post(bob.account, "link me")
    by_url = client.get("/api/v2/search", {"q": f"http://testserver/posts/{post.id}/",
                                           "resolve": "true", "type": "statuses"}).json()
    assert [s["id"] for s in by_url["statuses"]] == [str(post.id)]
    assert api_client().get("/api/v2/search", {"q": "bob", "resolve": "true"}).status_code == 401


@pytest.mark.parametrize(
    "params, field",
    [({}, "q"), ({"q": "x", "type": "people"}, "type"), ({"q": "x", "limit": "-1"}, "limit"),
     ({"q": "x", "offset": "ten"}, "offset")],
)
def test_bad_parameters_are_422(api_client, alice, params, field):
    response = api_client(alice, "read").get("/api/v2/search", params)
    assert response.status_code == 422 and field in response.json()["error"]


def test_results_respect_visibility_and_blocks(api_client, alice, bob, carol):
    publish_post(bob.account, "secretword for followers", visibility="followers")
    publish_post(bob.account, "secretword internal", visibility="internal")
    client = api_client(carol, "read")
    seen = client.get("/api/v2/search", {"q": "secretword"}).json()["statuses"]
    assert [s["content"] for s in seen] == ["<p>secretword internal</p>"] or len(seen) == 1
    assert api_client().get("/api/v2/search", {"q": "secretword"}).json()["statuses"] == []
    block_account(bob.account, carol.account)
    after = client.get("/api/v2/search", {"q": "bob"}).json()
    assert after["accounts"] == [] and client.get(
        "/api/v2/search", {"q": "secretword"}).json()["statuses"] == []


def test_status_search_is_accent_insensitive_and_stemmed_and_tolerates_bad_syntax(
    api_client, alice, bob
):
    post = publish_post(bob.account, "Compte rendu des réunions qualité")
    client = api_client(alice, "read")
    found = client.get("/api/v2/search", {"q": "reunion qualite", "type": "statuses"}).json()
    assert [s["id"] for s in found["statuses"]] == [str(post.id)]
    # An unbalanced quote is not search syntax an app user meant: still an answer, not a 4xx.
    odd = client.get("/api/v2/search", {"q": 'réunions "qualité', "type": "statuses"})
    assert odd.status_code == 200
    assert [s["id"] for s in odd.json()["statuses"]] == [str(post.id)]
