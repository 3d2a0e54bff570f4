"""Status endpoints through the API plumbing: create (JSON and forms, idempotency), read,
edit, history, source, delete, context, interactions, pins; errors in Mastodon's shape."""

from __future__ import annotations

import json

import pytest

from voliere.accounts.actions import follow_account
from voliere.mastodon.models import MAX_PINS, PostedStatus
from voliere.posts.actions import publish_post
from voliere.posts.models import Post

pytestmark = pytest.mark.django_db


def post_json(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def test_create_from_json_and_form(api_client, alice, bob):
    client = api_client(alice, "write read")
    parent = publish_post(bob.account, "question?")
    created = post_json(client, "/api/v1/statuses", {
        "status": "answer @bob #Topic", "in_reply_to_id": str(parent.id),
        "visibility": "unlisted", "spoiler_text": "careful", "language": "fr",
    })
    assert created.status_code == 200, created.content
    data = created.json()
    assert data["in_reply_to_id"] == str(parent.id)
    assert data["in_reply_to_account_id"] == str(bob.account.id)
    assert data["visibility"] == "unlisted"
    assert data["spoiler_text"] == "careful" and data["sensitive"] is True
    assert data["language"] == "fr"
    assert data["application"]["name"] == "Test client"
    post = Post.objects.get(pk=data["id"])
    assert post.visibility == "internal" and post.in_reply_to_id == parent.id
    form = client.post("/api/v1/statuses/", {"status": "from a form", "visibility": "private"})
    assert form.status_code == 200, form.content
    assert Post.objects.get(pk=form.json()["id"]).visibility == "followers"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"status": ""}, "cannot be empty"),
        ({"status": "x", "visibility": "everyone"}, "visibility must be one of"),
        ({"status": "x" * 501}, "at most 500"),
        ({"status": "x", "poll": {"options": ["only"], "expires_in": 3600}}, "from 2 to 4"),
        ({"status": "x", "poll": {"options": ["a", "b"], "expires_in": 10}}, "stays open"),
        ({"status": "x", "scheduled_at": "2030-01-01T00:00:00Z"}, "not supported"),
    ],
)
def test_create_refuses_bad_input_with_422(api_client, alice, body, fragment):
    response = post_json(api_client(alice, "write"), "/api/v1/statuses", body)
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed: ")
    assert fragment in response.json()["error"]
    assert not Post.objects.filter(author=alice.account).exists()


def test_reply_to_invisible_post_is_404_and_publishes_nothing(api_client, alice, bob):
    hidden = publish_post(bob.account, "for followers", visibility="followers")
    response = post_json(api_client(alice, "write"), "/api/v1/statuses",
                         {"status": "sneaky", "in_reply_to_id": str(hidden.id)})
    assert response.status_code == 404
    assert response.json() == {"error": "Record not found"}
    assert not Post.objects.filter(author=alice.account).exists()


def test_idempotency_key_returns_the_first_status(api_client, alice, bob):
    client = api_client(alice, "write")
    first = post_json(client, "/api/v1/statuses", {"status": "once"}, **{"Idempotency-Key": "k1"})
    again = post_json(client, "/api/v1/statuses", {"status": "once"}, **{"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    other = post_json(client, "/api/v1/statuses", {"status": "once"}, **{"Idempotency-Key": "k2"})
    assert other.json()["id"] != first.json()["id"]
    # Another account's key space is its own.
    bobs = post_json(api_client(bob, "write"), "/api/v1/statuses", {"status": "once"},
                     **{"Idempotency-Key": "k1"})
    assert bobs.json()["id"] != first.json()["id"]
    assert Post.objects.filter(author=alice.account).count() == 2


def test_idempotency_key_expires_after_an_hour(api_client, alice, time_machine):
    client = api_client(alice, "write")
    time_machine.move_to("2030-01-01 10:00Z")
    first = post_json(client, "/api/v1/statuses", {"status": "a"}, **{"Idempotency-Key": "k"})
    time_machine.move_to("2030-01-01 11:01Z")
    later = post_json(client, "/api/v1/statuses", {"status": "a"}, **{"Idempotency-Key": "k"})
    assert later.status_code == 200
    assert later.json()["id"] != first.json()["id"]
    assert PostedStatus.objects.filter(account=alice.account, idempotency_key="k").count() == 1


def test_get_edit_history_source_delete(api_client, alice, bob):
    client = api_client(alice, "read write")
    created = post_json(client, "/api/v1/statuses", {"status": "first draft"}).json()
    url = f"/api/v1/statuses/{created['id']}"
    edited = client.put(url, json.dumps({"status": "second draft", "spoiler_text": "cw",
                                         "language": "de"}),
                        content_type="application/json")
    assert edited.status_code == 200, edited.content
    assert "second draft" in edited.json()["content"]
    assert edited.json()["language"] == "de"
    assert edited.json()["edited_at"] is not None
    history = client.get(f"{url}/history").json()
    assert ["first draft" in h["content"] for h in history] == [True, False]
    assert history[-1]["spoiler_text"] == "cw"
    assert client.get(f"{url}/source").json() == {
        "id": created["id"], "text": "second draft", "spoiler_text": "cw"
    }
    # Someone else can neither edit nor delete it (404, as if it did not exist).
    other = api_client(bob, "read write")
    assert other.put(url, json.dumps({"status": "mine now"}),
                     content_type="application/json").status_code == 404
    assert other.delete(url).status_code == 404
    deleted = client.delete(url)
    assert deleted.status_code == 200
    assert deleted.json()["text"] == "second draft"
    assert client.get(url).status_code == 404


def test_interactions_return_the_status_with_flags(api_client, alice, bob):
    post = publish_post(bob.account, "nice")
    client = api_client(alice, "read write")
    url = f"/api/v1/statuses/{post.id}"
    faved = client.post(f"{url}/favourite").json()
    assert faved["favourited"] is True and faved["favourites_count"] == 1
    assert client.post(f"{url}/favourite").json()["favourites_count"] == 1
    assert [a["id"] for a in client.get(f"{url}/favourited_by").json()] == [
        str(alice.account.id)
    ]
    assert client.post(f"{url}/unfavourite").json()["favourited"] is False
    assert client.post(f"{url}/bookmark").json()["bookmarked"] is True
    assert client.post(f"{url}/unbookmark").json()["bookmarked"] is False
    boost = client.post(f"{url}/reblog").json()
    assert boost["reblog"]["id"] == str(post.id) and boost["reblogged"] is True
    assert boost["reblog"]["reblogs_count"] == 1
    assert [a["id"] for a in client.get(f"{url}/reblogged_by").json()] == [str(alice.account.id)]
    undone = client.post(f"{url}/unreblog").json()
    assert undone["id"] == str(post.id) and undone["reblogged"] is False
    assert undone["reblogs_count"] == 0


def test_reblog_of_followers_only_post_is_refused(api_client, alice, bob):
    follow_account(alice.account, bob.account)
    post = publish_post(bob.account, "close friends", visibility="followers")
    response = api_client(alice, "write").post(f"/api/v1/statuses/{post.id}/reblog")
    assert response.status_code == 422, response.content
    assert not Post.objects.filter(reblog_of=post).exists()


def test_pins_own_public_posts_up_to_the_limit(api_client, alice, bob):
    client = api_client(alice, "read write")
    posts = [publish_post(alice.account, f"p{n}") for n in range(MAX_PINS + 1)]
    for post in posts[:MAX_PINS]:
        pinned = client.post(f"/api/v1/statuses/{post.id}/pin")
        assert pinned.status_code == 200 and pinned.json()["pinned"] is True
    over = client.post(f"/api/v1/statuses/{posts[-1].id}/pin")
    assert over.status_code == 422 and "at most 5" in over.json()["error"]
    others = publish_post(bob.account, "not yours")
    assert client.post(f"/api/v1/statuses/{others.id}/pin").status_code == 422
    private = publish_post(alice.account, "followers", visibility="followers")
    assert client.post(f"/api/v1/statuses/{private.id}/pin").status_code == 422
    unpinned = client.post(f"/api/v1/statuses/{posts[0].id}/unpin").json()
    assert unpinned["pinned"] is False
    listed = client.get(f"/api/v1/accounts/{alice.account.id}/statuses", {"pinned": "true"})
    assert {s["id"] for s in listed.json()} == {str(p.id) for p in posts[1:MAX_PINS]}


def test_context_lists_visible_ancestors_and_descendants(api_client, alice, bob, carol):
    root = publish_post(bob.account, "root")
    reply = publish_post(carol.account, "reply", in_reply_to=root)
    hidden = publish_post(carol.account, "secret reply @bob", in_reply_to=root,
                          visibility="direct")
    deeper = publish_post(bob.account, "deeper", in_reply_to=reply)
    data = api_client(alice, "read").get(f"/api/v1/statuses/{reply.id}/context").json()
    assert [s["id"] for s in data["ancestors"]] == [str(root.id)]
    assert [s["id"] for s in data["descendants"]] == [str(deeper.id)]
    seen_by_bob = api_client(bob, "read").get(f"/api/v1/statuses/{root.id}/context").json()
    assert [s["id"] for s in seen_by_bob["descendants"]] == [
        str(reply.id), str(deeper.id), str(hidden.id)
    ]


def test_scopes_and_tokens(api_client, app_token, alice):
    post = publish_post(alice.account, "hi")
    read_only = api_client(alice, "read")
    assert read_only.post("/api/v1/statuses", {"status": "x"}).status_code == 403
    assert read_only.post(f"/api/v1/statuses/{post.id}/favourite").status_code == 403
    app = api_client(token=app_token("read write"))
    assert app.post("/api/v1/statuses", {"status": "x"}).status_code == 422
    assert api_client().post("/api/v1/statuses", {"status": "x"}).status_code == 401
    assert api_client().delete(f"/api/v1/statuses/{post.id}").status_code == 401
    assert api_client().get(f"/api/v1/statuses/{post.id}").status_code == 200
    assert api_client().get("/api/v1/statuses/not-a-number").status_code == 404
