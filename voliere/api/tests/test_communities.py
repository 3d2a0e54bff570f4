"""Communities: who sees which, members, posts through `visible_to`, joining and leaving."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import block_account, follow_account
from voliere.api.tests.conftest import error_of, fields_of, queries_for
from voliere.communities import actions
from voliere.communities.models import Kind, Membership, Role
from voliere.communities.tests.factories import add_member, make_community
from voliere.posts.actions import publish_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(alice, bob, carol, make_user):
    """alice owns one community of each kind; bob is a member of each, carol of none; dave
    moderates the moderated one."""
    dave = make_user("dave")
    places = {
        kind: make_community(alice, kind, name=f"Valves {kind}", slug=f"valves-{kind}")
        for kind in (Kind.OPEN, Kind.MODERATED, Kind.SECRET)
    }
    for community in places.values():
        add_member(community, bob)
    add_member(places[Kind.MODERATED], dave, Role.MODERATOR)
    return places


def _slugs(response) -> set[str]:
    return {c["slug"] for c in response.json()["items"]}


def test_directory_hides_secret_communities_from_non_members(call, places, bob, carol):
    expected = {"valves-open", "valves-moderated"}
    assert _slugs(call().get("/communities")) == expected
    assert _slugs(call(carol).get("/communities")) == expected
    assert _slugs(call(bob).get("/communities")) == expected | {"valves-secret"}


def test_directory_searches_sorts_and_pages(call, places, alice):
    make_community(alice, name="Pumps", slug="pumps")
    assert _slugs(call().get("/communities", q="pumps")) == {"pumps"}
    by_name = call().get("/communities", sort="name").json()["items"]
    assert [c["name"] for c in by_name] == sorted(c["name"] for c in by_name)
    first = call().get("/communities", sort="name").json()
    assert first["next_page"] is None


def test_directory_bad_sort_is_422_naming_it(call, places):
    response = call().get("/communities", sort="secret-first")
    assert response.status_code == 422
    assert fields_of(response) == {"sort"}


def test_secret_community_is_404_for_strangers_and_visitors(call, places, bob, carol):
    for caller in (call(), call(carol)):
        for path in ("", "/members", "/posts"):
            response = caller.get(f"/communities/valves-secret{path}")
            assert response.status_code == 404, path
            assert "secret" not in error_of(response)["error"].lower()
    body = call(bob).get("/communities/valves-secret").json()
    assert body["kind"] == "secret" and body["my_role"] == "member"


def test_secret_community_join_is_404_without_invitation(call, places, carol):
    response = call(carol).post("/communities/valves-secret/join")
    assert response.status_code == 404
    assert not Membership.objects.filter(account=carol.account).exists()


def test_members_listed_as_on_the_web(call, places, alice, bob):
    body = call().get("/communities/valves-open/members").json()
    assert {(m["account"]["handle"], m["role"]) for m in body["items"]} == {
        ("alice", "owner"),
        ("bob", "member"),
    }


def test_community_posts_go_through_visible_to(call, places, alice, bob, carol):
    open_place = places[Kind.OPEN]
    public = publish_post(bob.account, "Public valve news", community=open_place)
    internal = publish_post(
        bob.account, "Internal valve news", visibility="internal", community=open_place
    )
    followers = publish_post(
        bob.account, "Followers valve news", visibility="followers", community=open_place
    )
    follow_account(alice.account, bob.account)

    def ids(caller) -> set[str]:
        return {p["id"] for p in caller.get("/communities/valves-open/posts").json()["items"]}

    assert ids(call()) == {str(public.id)}
    assert ids(call(carol)) == {str(public.id), str(internal.id)}
    assert ids(call(alice)) == {str(public.id), str(internal.id), str(followers.id)}
    block_account(bob.account, carol.account)
    assert ids(call(carol)) == set()


def test_secret_community_posts_only_for_members(call, places, alice, bob):
    post = publish_post(alice.account, "Secret valve plan", community=places[Kind.SECRET])
    body = call(bob).get("/communities/valves-secret/posts").json()
    assert [p["id"] for p in body["items"]] == [str(post.id)]
    assert body["items"][0]["author"]["handle"] == "alice"


def test_join_open_and_leave(call, places, carol):
    caller = call(carol)
    joined = caller.post("/communities/valves-open/join").json()
    assert joined["outcome"] == "joined" and joined["community"]["my_role"] == "member"
    assert joined["community"]["members_count"] == 3
    left = caller.post("/communities/valves-open/leave").json()
    assert left["my_role"] is None and left["members_count"] == 2


def test_join_moderated_asks_and_can_be_withdrawn(call, places, carol):
    caller = call(carol)
    asked = caller.post("/communities/valves-moderated/join", {"message": "Valve person"})
    assert asked.json()["outcome"] == "requested"
    assert asked.json()["community"]["requested"] is True
    withdrawn = caller.post("/communities/valves-moderated/cancel_request").json()
    assert withdrawn["requested"] is False and withdrawn["my_role"] is None


def test_banned_account_cannot_join(call, places, alice, carol):
    actions.ban_member(alice.account, places[Kind.OPEN], carol.account)
    response = call(carol).post("/communities/valves-open/join")
    assert response.status_code == 403
    error_of(response)


def test_last_owner_cannot_leave(call, places, alice):
    response = call(alice).post("/communities/valves-open/leave")
    assert response.status_code == 422
    assert fields_of(response) == {"role"}


def test_join_needs_a_person_and_write_scope(call, places, carol, app_token):
    assert call().post("/communities/valves-open/join").status_code == 401
    assert call(carol, "read").post("/communities/valves-open/join").status_code == 403
    app = call(token=app_token("read write follow"))
    assert app.post("/communities/valves-open/join").status_code == 422


def test_join_message_validation_names_the_field(call, places, carol):
    response = call(carol).post("/communities/valves-moderated/join", {"message": 42})
    assert response.status_code == 422
    assert fields_of(response) == {"message"}


def test_members_and_posts_query_counts_do_not_grow(call, places, alice, make_user):
    open_place = places[Kind.OPEN]
    for number in range(8):
        member = make_user(f"member{number}")
        add_member(open_place, member)
        publish_post(member.account, f"Valve post {number}", community=open_place)
    caller = call(alice)
    for path in ("/communities/valves-open/members", "/communities/valves-open/posts"):
        assert queries_for(caller, path, limit=2) == queries_for(caller, path, limit=8), path
