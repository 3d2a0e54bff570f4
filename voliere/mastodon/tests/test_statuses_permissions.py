"""The permission matrix of every status-returning endpoint this module owns: each
visibility × each caller × each endpoint, through the real plumbing (tokens, scopes).

A caller either sees the status (200, or the documented refusal of a visible status, such
as 422 for reblogging a followers-only post) or gets 404 "Record not found", exactly as
if it did not exist. Anonymous callers and application-only tokens see what an anonymous
visitor of the web pages sees: public posts only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from voliere.accounts.actions import block_account, follow_account
from voliere.communities.actions import accept_invitation, create_community, invite_to_community
from voliere.posts.actions import publish_post

pytestmark = pytest.mark.django_db

CALLERS = ("anonymous", "app", "stranger", "follower", "mentioned", "blocked", "member",
           "author")
SEES = {
    "public": {"app", "anonymous", "stranger", "follower", "mentioned", "member", "author"},
    "internal": {"stranger", "follower", "mentioned", "member", "author"},
    "followers": {"follower", "mentioned", "author"},
    "direct": {"mentioned", "author"},
    "secret": {"member", "author"},
}
REBLOGGABLE = {"public", "internal"}


@dataclass
class World:
    clients: dict
    post_id: int
    author_id: int
    root_id: int | None


@pytest.fixture
def world(request, make_user, api_client, app_token):
    visibility = request.param
    users = {name: make_user(name) for name in CALLERS if name not in ("anonymous", "app")}
    author = users["author"].account
    follow_account(users["follower"].account, author)
    block_account(author, users["blocked"].account)
    community = create_community(author, name="Inner circle", kind="secret")
    invite_to_community(author, community, users["member"].account)
    accept_invitation(users["member"].account, community)
    root = None
    if visibility == "secret":
        post = publish_post(author, "hello @mentioned", community=community)
    else:
        root = publish_post(author, "thread root")
        post = publish_post(author, "hello @mentioned", visibility=visibility, in_reply_to=root)
    clients = {name: api_client(user, "read write") for name, user in users.items()}
    clients["anonymous"] = api_client()
    clients["app"] = api_client(token=app_token("read write"))
    return World(clients=clients, post_id=post.id, author_id=author.id,
                 root_id=root.id if root else None)


def _get(path):
    return lambda client, w: client.get(path.format(id=w.post_id, author=w.author_id)).status_code


def _listed(path, key=None):
    def probe(client, w):
        if key and w.root_id is None:
            # No public thread holds a secret post: only the focus check applies.
            return _get(path)(client, w)
        response = client.get(path.format(id=w.root_id or w.post_id, author=w.author_id))
        if response.status_code != 200:
            return 404
        data = response.json()
        items = data[key] if key else data
        return 200 if str(w.post_id) in {s["id"] for s in items} else 404

    return probe


def _post(path):
    return lambda client, w: client.post(path.format(id=w.post_id)).status_code


# Reads first: the writes at the end (reblog, favourite, bookmark) change no visibility.
ENDPOINTS = {
    "get": _get("/api/v1/statuses/{id}"),
    "context": _get("/api/v1/statuses/{id}/context"),
    "in_thread": _listed("/api/v1/statuses/{id}/context", key="descendants"),
    "account_statuses": _listed("/api/v1/accounts/{author}/statuses"),
    "favourited_by": _get("/api/v1/statuses/{id}/favourited_by"),
    "reblogged_by": _get("/api/v1/statuses/{id}/reblogged_by"),
    "history": _get("/api/v1/statuses/{id}/history"),
    "source": _get("/api/v1/statuses/{id}/source"),
    "reblog": _post("/api/v1/statuses/{id}/reblog"),
    "favourite": _post("/api/v1/statuses/{id}/favourite"),
    "bookmark": _post("/api/v1/statuses/{id}/bookmark"),
}
NEEDS_USER = {"source", "reblog", "favourite", "bookmark"}


def expected(endpoint: str, visibility: str, caller: str) -> int:
    if endpoint in NEEDS_USER and caller == "anonymous":
        return 401
    if endpoint in NEEDS_USER and caller == "app":
        return 422  # Mastodon's "This method requires an authenticated user"
    if caller not in SEES[visibility]:
        return 404
    if endpoint == "reblog" and visibility not in REBLOGGABLE:
        return 422  # visible, but not something that can be reposted
    return 200


@pytest.mark.parametrize("world", sorted(SEES), indirect=True)
def test_permission_matrix(world, request):
    """One world per visibility (eight accounts are costly); every endpoint × caller."""
    visibility = request.node.callspec.params["world"]
    for endpoint, probe in ENDPOINTS.items():
        got = {caller: probe(world.clients[caller], world) for caller in CALLERS}
        want = {caller: expected(endpoint, visibility, caller) for caller in CALLERS}
        assert got == want, f"{visibility} × {endpoint}"


@pytest.mark.parametrize("world", ["followers"], indirect=True)
def test_hidden_and_missing_answer_alike(world):
    stranger = world.clients["stranger"]
    hidden = stranger.get(f"/api/v1/statuses/{world.post_id}")
    missing = stranger.get(f"/api/v1/statuses/{world.post_id + 1}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"error": "Record not found"}
