"""Notifications and markers over the API."""

from __future__ import annotations

import pytest

from conftest import committed
from voliere.accounts.actions import block_account, follow_account
from voliere.lists.models import Marker
from voliere.mastodon import entities
from voliere.notifications.actions import notify
from voliere.notifications.models import Notification
from voliere.posts.actions import delete_post, like_post, publish_post, repost

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(alice, bob, carol):
    """Alice is followed, mentioned, replied to, liked and reposted."""
    with committed():
        follow_account(bob.account, alice.account)
    with committed():
        mention = publish_post(bob.account, "hi @alice")
    own = publish_post(alice.account, "mine")
    with committed():
        publish_post(carol.account, "answer", in_reply_to=own)
    with committed():
        like_post(bob.account, own)
    with committed():
        repost(carol.account, own)
    # A Volière-only kind that no Mastodon client knows.
    notify(recipient_id=alice.account.id, actor_id=bob.account.id, kind="alert")
    return {"mention": mention, "own": own}


def types(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [n["type"] for n in response.json()]


def test_list_maps_types_and_leaves_out_voliere_kinds(api_client, alice, inbox):
    response = api_client(alice, "read").get("/api/v1/notifications")
    assert types(response) == ["reblog", "favourite", "mention", "mention", "follow"]
    first = response.json()[0]
    assert set(first) >= {"id", "type", "created_at", "account", "status", "group_key"}
    assert first["status"]["id"] == str(inbox["own"].id)
    follow = response.json()[-1]
    assert "status" not in follow and follow["account"]["acct"] == "bob"


def test_filters_types_exclude_types_account(api_client, alice, bob, inbox):
    client = api_client(alice, "read")
    assert types(client.get("/api/v1/notifications", {"types[]": ["mention"]})) == [
        "mention", "mention"]
    assert types(client.get("/api/v1/notifications",
                            {"exclude_types[]": ["mention", "reblog"]})) == ["favourite", "follow"]
    assert types(client.get("/api/v1/notifications", {"account_id": bob.account.id})) == [
        "favourite", "mention", "follow"]
    bad = client.get("/api/v1/notifications", {"types[]": ["weird"]})
    assert bad.status_code == 422 and "weird" in bad.json()["error"]


def test_permission_filtering_like_the_web(api_client, alice, bob, inbox):
    client = api_client(alice, "read")
    delete_post(bob.account, inbox["mention"])
    assert "mention" in types(client.get("/api/v1/notifications"))  # carol's reply stays
    block_account(alice.account, bob.account)
    assert types(client.get("/api/v1/notifications")) == ["reblog", "mention"]


def test_get_dismiss_clear(api_client, alice, bob, inbox):
    client = api_client(alice, "read write")
    first = client.get("/api/v1/notifications").json()[0]
    assert client.get(f"/api/v1/notifications/{first['id']}").json()["id"] == first["id"]
    assert api_client(bob, "read").get(f"/api/v1/notifications/{first['id']}").status_code == 404
    assert client.post(f"/api/v1/notifications/{first['id']}/dismiss").json() == {}
    assert client.get(f"/api/v1/notifications/{first['id']}").status_code == 404
    assert api_client(alice, "read").post("/api/v1/notifications/clear").status_code == 403
    assert client.post("/api/v1/notifications/clear").json() == {}
    assert client.get("/api/v1/notifications").json() == []
    # Volière's own kinds are left for the web page, where they can be acted on.
    assert Notification.objects.filter(recipient=alice.account, kind="alert").exists()


def test_notifications_query_count_is_constant(api_client, alice, make_user,
                                                django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post = publish_post(alice.account, "like me")
    client = api_client(alice, "read")

    def likes(count: int) -> None:
        for _ in range(count):
            with committed():
                like_post(make_user().account, post)

    likes(5)
    client.get("/api/v1/notifications")
    entities.clear_caches()  # both pages start cold: the serializer caches per process
    with CaptureQueriesContext(connection) as small:
        assert len(client.get("/api/v1/notifications", {"limit": 5}).json()) == 5
    likes(35)
    entities.clear_caches()
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get("/api/v1/notifications", {"limit": 40}).json()) == 40


def test_markers_round_trip_and_versions(api_client, alice):
    client = api_client(alice, "read write")
    assert client.get("/api/v1/markers", {"timeline[]": ["home"]}).json() == {}
    saved = client.post("/api/v1/markers", {"home[last_read_id]": "123"})
    assert saved.status_code == 200, saved.content
    assert saved.json()["home"]["last_read_id"] == "123"
    assert saved.json()["home"]["version"] == 1
    again = client.post("/api/v1/markers", {"home": {"last_read_id": "125"},
                                            "notifications": {"last_read_id": "7"}},
                        content_type="application/json").json()
    assert again["home"]["version"] == 2 and again["notifications"]["version"] == 1
    both = client.get("/api/v1/markers?timeline[]=home&timeline[]=notifications").json()
    assert both["home"]["last_read_id"] == "125" and both["notifications"]["last_read_id"] == "7"
    bad = client.post("/api/v1/markers", {"home[last_read_id]": "abc"})
    assert bad.status_code == 422 and "home[last_read_id]" in bad.json()["error"]
    assert client.post("/api/v1/markers", {}).status_code == 422
    assert Marker.objects.get(account=alice.account, timeline="home").last_read_id == 125
