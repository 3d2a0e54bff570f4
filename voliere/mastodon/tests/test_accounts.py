"""Account endpoints through the API plumbing: credentials, profile updates, accounts,
their statuses (filters, pagination, query counts), followers, relationships, lookup and
search."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from conftest import committed
from voliere.accounts.actions import block_account, follow_account, suspend_account
from voliere.accounts.models import Follow
from voliere.mastodon import entities
from voliere.posts.actions import publish_post, repost

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 300), (10, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def test_verify_credentials_needs_a_user_token(api_client, app_token, alice):
    data = api_client(alice, "read:accounts").get("/api/v1/accounts/verify_credentials").json()
    assert data["id"] == str(alice.account.id) and "source" in data
    assert api_client(alice, "profile").get(
        "/api/v1/accounts/verify_credentials").status_code == 200
    assert api_client(alice, "write").get(
        "/api/v1/accounts/verify_credentials").status_code == 403
    assert api_client(token=app_token()).get(
        "/api/v1/accounts/verify_credentials").status_code == 422
    assert api_client().get("/api/v1/accounts/verify_credentials").status_code == 401


def test_update_credentials_multipart_with_fields_and_images(api_client, alice):
    client = api_client(alice, "read write")
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        data=encode_multipart(BOUNDARY, {
            "display_name": "Alice A.", "note": "Bio <b>here</b>",
            "fields_attributes[0][name]": "Site",
            "fields_attributes[0][value]": "https://alice.example",
            "avatar": png(), "header": png(), "locked": "true",
        }),
        content_type=MULTIPART_CONTENT,
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["display_name"] == "Alice A."
    assert data["note"] == "<p>Bio &lt;b&gt;here&lt;/b&gt;</p>"
    assert data["source"]["note"] == "Bio <b>here</b>"
    assert data["fields"][0]["name"] == "Site"
    assert 'href="https://alice.example"' in data["fields"][0]["value"]
    assert "/media/avatars/" in data["avatar"] and "/media/headers/" in data["header"]
    assert data["locked"] is False  # Volière has no locked accounts
    alice.account.refresh_from_db()
    assert alice.account.bio == "Bio <b>here</b>"


def test_update_credentials_refuses_bad_input_without_half_writing(api_client, alice):
    client = api_client(alice, "write")
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        json.dumps({"display_name": "Changed", "fields_attributes": [
            {"name": "Site", "value": "not a link"}]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "web address" in response.json()["error"]
    alice.account.refresh_from_db()
    assert alice.account.display_name == "Alice"
    too_long = client.patch("/api/v1/accounts/update_credentials",
                            json.dumps({"display_name": "x" * 81}),
                            content_type="application/json")
    assert too_long.status_code == 422


def test_account_detail_and_suspended_or_blocking_accounts(api_client, alice, bob, carol):
    assert api_client().get(f"/api/v1/accounts/{bob.account.id}").json()["username"] == "bob"
    block_account(bob.account, alice.account)
    assert api_client(alice).get(f"/api/v1/accounts/{bob.account.id}").status_code == 404
    suspend_account(carol.account)
    response = api_client().get(f"/api/v1/accounts/{carol.account.id}/")
    assert response.status_code == 404 and response.json() == {"error": "Record not found"}
    assert api_client().get("/api/v1/accounts/abc").status_code == 404


def test_account_statuses_filters(api_client, alice, bob, carol):
    root = publish_post(bob.account, "root #Tagged")
    own_thread = publish_post(bob.account, "more", in_reply_to=root)
    reply = publish_post(bob.account, "to carol", in_reply_to=publish_post(carol.account, "c"))
    boost = repost(bob.account, publish_post(carol.account, "boost me"))
    client = api_client(alice, "read")
    url = f"/api/v1/accounts/{bob.account.id}/statuses"

    def ids(**params):
        response = client.get(url, params)
        assert response.status_code == 200, response.content
        return [s["id"] for s in response.json()]

    assert ids() == [str(p.id) for p in (boost, reply, own_thread, root)]
    assert ids(exclude_replies="true") == [str(p.id) for p in (boost, own_thread, root)]
    assert ids(exclude_reblogs="1") == [str(p.id) for p in (reply, own_thread, root)]
    assert ids(tagged="tagged") == [str(root.id)]
    assert ids(tagged="nothing") == []
    assert ids(only_media="true") == []
    assert ids(limit=2) == [str(boost.id), str(reply.id)]
    response = client.get(url, {"limit": 2})
    assert f"max_id={reply.id}" in response["Link"]


def test_account_statuses_query_count_does_not_grow(api_client, alice, bob,
                                                   django_assert_num_queries):
    for n in range(40):
        publish_post(bob.account, f"post {n} #t")
    client = api_client(alice, "read")
    url = f"/api/v1/accounts/{bob.account.id}/statuses"
    client.get(url, {"limit": 1})  # the token's first use records when it was last used
    for limit in (5, 40):
        entities.clear_caches()
        # The token, the account, its block on the viewer, the page; then the serializer,
        # cold: mentions, tags, media, polls, last-status days, the viewer's flags.
        with django_assert_num_queries(10):
            response = client.get(url, {"limit": limit})
        assert len(response.json()) == limit


def test_followers_following_paginated(api_client, alice, bob, carol, make_user):
    people = [make_user() for _ in range(3)]
    for person in people:
        follow_account(person.account, bob.account)
    follow_account(bob.account, carol.account)
    client = api_client(alice, "read")
    first = client.get(f"/api/v1/accounts/{bob.account.id}/followers", {"limit": 2})
    assert [a["id"] for a in first.json()] == [str(p.account.id) for p in people[::-1][:2]]
    assert 'rel="next"' in first["Link"]
    rest = client.get(first["Link"].split(";")[0].strip("<>").split("testserver")[1])
    assert [a["id"] for a in rest.json()] == [str(people[0].account.id)]
    following = client.get(f"/api/v1/accounts/{bob.account.id}/following").json()
    assert [a["id"] for a in following] == [str(carol.account.id)]


def test_follow_block_mute_and_relationships(api_client, alice, bob, carol):
    client = api_client(alice, "read write follow")
    followed = client.post(f"/api/v1/accounts/{bob.account.id}/follow",
                           {"reblogs": "true", "notify": "false"})
    assert followed.status_code == 200 and followed.json()["following"] is True
    assert Follow.objects.filter(follower=alice.account, followee=bob.account).exists()
    rel = client.get("/api/v1/accounts/relationships",
                     {"id[]": [bob.account.id, carol.account.id]}).json()
    assert [(r["id"], r["following"]) for r in rel] == [
        (str(bob.account.id), True), (str(carol.account.id), False)
    ]
    assert client.post(f"/api/v1/accounts/{bob.account.id}/unfollow").json()["following"] is False
    muted = client.post(f"/api/v1/accounts/{carol.account.id}/mute").json()
    assert muted["muting"] is True
    assert client.post(f"/api/v1/accounts/{carol.account.id}/unmute").json()["muting"] is False
    blocked = client.post(f"/api/v1/accounts/{bob.account.id}/block").json()
    assert blocked["blocking"] is True
    assert client.post(f"/api/v1/accounts/{bob.account.id}/follow").status_code == 404
    assert client.post(f"/api/v1/accounts/{bob.account.id}/unblock").json()["blocking"] is False
    assert client.post(f"/api/v1/accounts/{alice.account.id}/follow").status_code == 422
    assert api_client(alice, "read").post(
        f"/api/v1/accounts/{bob.account.id}/follow").status_code == 403


def test_lookup_and_search(api_client, alice, bob, make_user):
    make_user("bobby", display_name="Robert Bob")
    client = api_client(alice, "read")
    assert client.get("/api/v1/accounts/lookup", {"acct": "@bob"}).json()["id"] == str(
        bob.account.id)
    assert client.get("/api/v1/accounts/lookup", {"acct": "bob@testserver"}).status_code == 200
    assert client.get("/api/v1/accounts/lookup", {"acct": "bob@elsewhere.example"}
                      ).status_code == 404
    assert client.get("/api/v1/accounts/lookup", {"acct": "nobody"}).status_code == 404
    found = client.get("/api/v1/accounts/search", {"q": "bob"}).json()
    assert {a["username"] for a in found} == {"bob", "bobby"}
    block_account(bob.account, alice.account)
    found = client.get("/api/v1/accounts/search", {"q": "bob"}).json()
    assert {a["username"] for a in found} == {"bobby"}
    assert client.get("/api/v1/accounts/search", {"q": "bob", "limit": "x"}).status_code == 422


def test_followers_only_posts_reach_followers_through_account_statuses(api_client, alice, bob):
    with committed():
        post = publish_post(bob.account, "for followers", visibility="followers")
    url = f"/api/v1/accounts/{bob.account.id}/statuses"
    assert api_client(alice, "read").get(url).json() == []
    follow_account(alice.account, bob.account)
    assert [s["id"] for s in api_client(alice, "read").get(url).json()] == [str(post.id)]
