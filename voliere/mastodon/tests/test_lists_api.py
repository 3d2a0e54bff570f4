"""Lists over the API: CRUD, members, scopes, privacy between owners."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import follow_account
from voliere.lists.models import List

pytestmark = pytest.mark.django_db


def test_list_crud_round_trip(api_client, alice):
    client = api_client(alice, "read write")
    created = client.post(
        "/api/v1/lists", {"title": "Team", "replies_policy": "followed", "exclusive": "true"}
    )
    assert created.status_code == 200, created.content
    body = created.json()
    assert body == {"id": body["id"], "title": "Team", "replies_policy": "followed",
                    "exclusive": True}
    assert client.get("/api/v1/lists").json() == [body]
    updated = client.put(
        f"/api/v1/lists/{body['id']}", {"title": "Core team"}, content_type="application/json"
    )
    assert updated.json()["title"] == "Core team" and updated.json()["exclusive"] is True
    assert client.get(f"/api/v1/lists/{body['id']}/").json()["title"] == "Core team"
    assert client.delete(f"/api/v1/lists/{body['id']}").json() == {}
    assert client.get(f"/api/v1/lists/{body['id']}").status_code == 404


@pytest.mark.parametrize(
    "payload, message",
    [({"title": ""}, "title can't be blank"), ({"title": "x", "replies_policy": "all"},
                                               "replies_policy must be one of")],
)
def test_invalid_list_is_a_422_and_nothing_is_created(api_client, alice, payload, message):
    response = api_client(alice, "write").post("/api/v1/lists", payload)
    assert response.status_code == 422
    assert message in response.json()["error"]
    assert not List.objects.exists()


def test_members_add_list_remove(api_client, alice, bob, carol):
    follow_account(alice.account, bob.account)
    client = api_client(alice, "read write")
    list_id = client.post("/api/v1/lists", {"title": "T"}).json()["id"]
    refused = client.post(f"/api/v1/lists/{list_id}/accounts",
                          {"account_ids[]": [bob.account.id, carol.account.id]})
    assert refused.status_code == 422 and "must be followed" in refused.json()["error"]
    added = client.post(f"/api/v1/lists/{list_id}/accounts",
                        {"account_ids": [str(bob.account.id)]}, content_type="application/json")
    assert added.status_code == 200 and added.json() == {}
    members = client.get(f"/api/v1/lists/{list_id}/accounts")
    assert [a["id"] for a in members.json()] == [str(bob.account.id)]
    in_lists = client.get(f"/api/v1/accounts/{bob.account.id}/lists").json()
    assert [lst["id"] for lst in in_lists] == [list_id]
    client.delete(f"/api/v1/lists/{list_id}/accounts?account_ids[]={bob.account.id}")
    assert client.get(f"/api/v1/lists/{list_id}/accounts").json() == []
    assert client.post(f"/api/v1/lists/{list_id}/accounts",
                       {"account_ids[]": ["x"]}).status_code == 422


def test_lists_are_private_and_scoped(api_client, alice, bob):
    list_id = api_client(alice, "write").post("/api/v1/lists", {"title": "T"}).json()["id"]
    other = api_client(bob, "read write")
    assert other.get("/api/v1/lists").json() == []
    for method in ("get", "put", "delete"):
        assert getattr(other, method)(f"/api/v1/lists/{list_id}").status_code == 404
    assert other.get(f"/api/v1/lists/{list_id}/accounts").status_code == 404
    assert api_client(alice, "read").post("/api/v1/lists", {"title": "x"}).status_code == 403
    assert api_client(alice, "write").get("/api/v1/lists").status_code == 403
    assert api_client().get("/api/v1/lists").status_code == 401
