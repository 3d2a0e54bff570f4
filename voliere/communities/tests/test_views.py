"""Community pages through HTTP: the flows a person goes through (create, join, ask,
approve, invite, ban, roles, pins, post), bad input answered 400 with the message, CSRF,
and exact query counts that do not grow with the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from voliere.communities.access import is_member, role_of
from voliere.communities.models import Ban, Community, JoinRequest, Kind, Pin, Role
from voliere.communities.tests.factories import add_member, make_community
from voliere.posts.actions import publish_post


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_a_community_through_the_form(alice):
    response = _client(alice).post(
        "/communities/new/",
        {"name": "Data guild", "slug": "", "description": "SQL", "rules": "Be nice",
         "kind": "moderated"},
    )
    community = Community.objects.get()
    assert response.status_code == 302 and response["Location"] == "/c/data-guild/"
    assert community.kind == Kind.MODERATED and role_of(alice.account, community) == Role.OWNER


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "A community needs a name."),
        ({"name": "Taken", "slug": "taken"}, "This address is already taken"),
        ({"name": "x", "slug": "no spaces"}, "lower-case letters, digits and dashes"),
        ({"name": "x", "kind": "private"}, "The kind must be one of"),
    ],
)
def test_bad_input_answers_400_with_the_message_and_keeps_the_text(alice, bob, data, message):
    make_community(bob, name="Taken")
    response = _client(alice).post("/communities/new/", {"description": "kept text", **data})
    content = response.content.decode()
    assert response.status_code == 400 and message in content and "kept text" in content
    assert Community.objects.count() == 1


@pytest.mark.parametrize("params", ["sort=size", "page=0", "page=x", "q=" + "a" * 101])
def test_directory_bad_parameters_answer_400(alice, params):
    response = _client(alice).get(f"/communities/?{params}")
    assert response.status_code == 400


def test_forms_need_the_csrf_token(alice, bob):
    c = make_community(alice, Kind.OPEN)
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    assert client.post(f"/c/{c.slug}/join/").status_code == 403
    assert not is_member(bob.account, c)


def test_anonymous_visitors_are_sent_to_log_in_for_changes(alice):
    c = make_community(alice, Kind.OPEN)
    response = Client().post(f"/c/{c.slug}/join/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_moderated_flow_request_approve_then_post(alice, bob):
    c = make_community(alice, Kind.MODERATED, name="Guild")
    bob_client, alice_client = _client(bob), _client(alice)
    page = bob_client.get(f"/c/{c.slug}/").content.decode()
    assert "Ask to join" in page and "Posting in" not in page
    response = bob_client.post(f"/c/{c.slug}/join/", {"next": f"/c/{c.slug}/"}, follow=True)
    assert "Your request to join Guild was sent" in response.content.decode()
    assert "Request sent" in response.content.decode()
    queue = alice_client.get(f"/c/{c.slug}/requests/").content.decode()
    assert "@bob" in queue and "Approve" in queue
    assert bob_client.get(f"/c/{c.slug}/requests/").status_code == 403
    assert bob_client.post(f"/c/{c.slug}/requests/bob/approve/").status_code == 403
    alice_client.post(f"/c/{c.slug}/requests/bob/approve/")
    assert is_member(bob.account, c) and not JoinRequest.objects.exists()
    response = bob_client.post(f"/c/{c.slug}/post/", {"text": "hello guild",
                                                      "visibility": "internal"})
    assert response.status_code == 302
    page = bob_client.get(f"/c/{c.slug}/").content.decode()
    assert "hello guild" in page and "in Guild" in page


def test_posting_bad_input_answers_400_on_the_community_page(alice, bob):
    c = make_community(alice, Kind.OPEN)
    response = _client(alice).post(f"/c/{c.slug}/post/", {"text": "  ", "visibility": "public"})
    assert response.status_code == 400 and "A post cannot be empty." in response.content.decode()
    response = _client(bob).post(f"/c/{c.slug}/post/",
                                 {"text": "not a member", "visibility": "public"})
    assert response.status_code == 400 and "Only members of" in response.content.decode()
    assert not c.posts.exists()


def test_replying_from_outside_an_open_community_is_refused_with_a_message(alice, bob):
    c = make_community(alice, Kind.OPEN, name="Guild")
    post = publish_post(alice.account, "question", community=c)
    response = _client(bob).post(
        "/posts/new/", {"text": "answer", "in_reply_to": post.id, "visibility": "public"}
    )
    assert response.status_code == 400
    assert "Only members of Guild can post there" in response.content.decode()


def test_invite_by_handle_and_accept(alice, bob):
    c = make_community(alice, Kind.SECRET, slug="hidden")
    client = _client(alice)
    response = client.post("/c/hidden/invitations/", {"handle": "nobody"})
    assert response.status_code == 400 and "No such account." in response.content.decode()
    response = client.post("/c/hidden/invitations/", {"handle": ""})
    assert response.status_code == 400
    client.post("/c/hidden/invitations/", {"handle": "@bob"})
    bob_client = _client(bob)
    mine = bob_client.get("/communities/invitations/").content.decode()
    assert c.name in mine and "Accept invitation" in mine
    bob_client.post("/c/hidden/accept/")
    assert is_member(bob.account, c)


def test_ban_from_the_members_page_and_unban(alice, bob):
    c = make_community(alice, Kind.OPEN)
    add_member(c, bob)
    client = _client(alice)
    members = client.get(f"/c/{c.slug}/members/").content.decode()
    assert f'/c/{c.slug}/members/bob/ban/' in members
    assert f'/c/{c.slug}/members/alice/ban/' not in members  # not oneself
    client.post(f"/c/{c.slug}/members/bob/ban/", {"reason": "spam"})
    assert Ban.objects.filter(community=c, account=bob.account).exists()
    response = _client(bob).post(f"/c/{c.slug}/join/")
    assert response.status_code == 403 and "banned" in response.content.decode()
    client.post(f"/c/{c.slug}/bans/bob/unban/")
    assert not Ban.objects.exists()


def test_last_owner_leaving_gets_a_clear_error(alice):
    c = make_community(alice, Kind.OPEN)
    response = _client(alice).post(f"/c/{c.slug}/leave/")
    assert response.status_code == 400 and "last owner" in response.content.decode()
    assert is_member(alice.account, c)


def test_role_change_and_pins_through_the_pages(alice, bob):
    c = make_community(alice, Kind.OPEN)
    add_member(c, bob)
    client = _client(alice)
    client.post(f"/c/{c.slug}/members/bob/role/", {"role": "moderator"})
    assert role_of(bob.account, c) == Role.MODERATOR
    response = client.post(f"/c/{c.slug}/members/bob/role/", {"role": "king"})
    assert response.status_code == 400
    post = publish_post(alice.account, "read the rules first", community=c)
    _client(bob).post(f"/c/{c.slug}/pins/{post.id}/pin/")
    assert Pin.objects.filter(community=c, post=post).exists()
    page = Client().get(f"/c/{c.slug}/").content.decode()
    assert "Pinned" in page and "read the rules first" in page


def test_settings_edit(alice):
    c = make_community(alice, Kind.OPEN)
    client = _client(alice)
    response = client.post(f"/c/{c.slug}/settings/",
                           {"name": "", "description": "", "rules": "", "kind": "open"})
    assert response.status_code == 400
    client.post(f"/c/{c.slug}/settings/",
                {"name": "New name", "description": "About <b>us</b>", "rules": "One\nTwo",
                 "kind": "moderated"})
    c.refresh_from_db()
    assert (c.name, c.kind) == ("New name", Kind.MODERATED)
    page = Client().get(f"/c/{c.slug}/").content.decode()
    assert "About &lt;b&gt;us&lt;/b&gt;" in page and "<li>Two</li>" in page


# Query counts -------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# Session, user; the community and the viewer's standing (one query); the page's posts,
# likes, bookmarks, reposts, attachments and visible quotes of the viewer; pinned posts and
# pinned ids; the staff column and (moderators) the join-request queue.
TIMELINE_QUERIES = 14
# Session, user; a page of communities; the viewer's roles, requests and invitations on it;
# suggestions (followees' memberships, skills, popular) and the viewer's invitations.
DIRECTORY_QUERIES = 10


def test_community_timeline_queries_do_not_grow_with_the_page(make_user):
    counts = []
    for size in (5, 40):
        owner = make_user()
        c = make_community(owner, Kind.OPEN)
        posts = [publish_post(owner.account, f"post {n}", community=c) for n in range(size)]
        publish_post(owner.account, "a quote", quote_of=posts[0], community=c)
        counts.append(_queries(_client(owner), f"/c/{c.slug}/"))
    assert counts == [TIMELINE_QUERIES, TIMELINE_QUERIES]


def test_directory_queries_do_not_grow_with_the_page(make_user):
    counts = []
    for size in (5, 40):
        owner, viewer = make_user(), make_user()
        for _ in range(size):
            make_community(owner, Kind.OPEN)
        counts.append(_queries(_client(viewer), "/communities/?sort=members"))
        Community.objects.all().delete()
    assert counts == [DIRECTORY_QUERIES, DIRECTORY_QUERIES]


def test_members_page_queries_do_not_grow(make_user):
    counts = []
    for size in (5, 40):
        owner = make_user()
        c = make_community(owner, Kind.OPEN)
        for _ in range(size):
            add_member(c, make_user())
        counts.append(_queries(_client(owner), f"/c/{c.slug}/members/"))
    assert counts[0] == counts[1]
