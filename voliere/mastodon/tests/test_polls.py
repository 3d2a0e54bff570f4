"""Polls through the API: created with a status (JSON and form bodies), read, voted on;
one vote per account, choices checked, closed polls closed, hidden totals hidden, and a
poll exactly as visible as its post."""

from __future__ import annotations

import json

import pytest

from voliere.polls.actions import PollSpec, create_poll
from voliere.polls.models import Poll, PollVote
from voliere.posts.actions import publish_post
from voliere.posts.models import Post

pytestmark = pytest.mark.django_db


def make_poll(author, *, visibility="public", **spec):
    post = publish_post(author, "which one?", visibility=visibility)
    spec.setdefault("options", ["red", "green", "blue"])
    spec.setdefault("expires_in", 3600)
    return create_poll(post, PollSpec(**spec))


def vote(client, poll, choices):
    return client.post(f"/api/v1/polls/{poll.id}/votes", json.dumps({"choices": choices}),
                       content_type="application/json")


def test_create_with_form_body(api_client, alice):
    response = api_client(alice, "write").post("/api/v1/statuses", {
        "status": "lunch?", "poll[options][]": ["pizza", "salad"],
        "poll[expires_in]": "600", "poll[multiple]": "true", "poll[hide_totals]": "false",
    })
    assert response.status_code == 200, response.content
    poll = response.json()["poll"]
    assert [o["title"] for o in poll["options"]] == ["pizza", "salad"]
    assert poll["multiple"] is True and poll["voted"] is True  # the author counts as voted
    row = Poll.objects.get(pk=poll["id"])
    assert row.post_id == int(response.json()["id"]) and row.multiple


def test_vote_once_and_read_back(api_client, alice, bob):
    poll = make_poll(bob.account)
    client = api_client(alice, "read write")
    voted = vote(client, poll, [1])
    assert voted.status_code == 200, voted.content
    data = voted.json()
    assert data["voted"] is True and data["own_votes"] == [1]
    assert data["votes_count"] == 1 and data["voters_count"] == 1
    assert [o["votes_count"] for o in data["options"]] == [0, 1, 0]
    again = vote(client, poll, [0])
    assert again.status_code == 422 and "already voted" in again.json()["error"]
    read = api_client().get(f"/api/v1/polls/{poll.id}").json()
    assert "voted" not in read and read["votes_count"] == 1


@pytest.mark.parametrize(
    ("choices", "fragment"),
    [([0, 1], "one choice only"), ([7], "no option 7"), (["x"], "not an option number"),
     ([], "at least one")],
)
def test_bad_choices_are_refused(api_client, alice, bob, choices, fragment):
    poll = make_poll(bob.account)
    response = vote(api_client(alice, "write"), poll, choices)
    assert response.status_code == 422
    assert fragment in response.json()["error"]
    assert not PollVote.objects.exists()


def test_multiple_choice_counts_each_choice_and_each_voter_once(api_client, alice, bob):
    poll = make_poll(bob.account, multiple=True)
    data = vote(api_client(alice, "write"), poll, ["0", "2", "2"]).json()
    assert data["own_votes"] == [0, 2]
    assert data["votes_count"] == 2 and data["voters_count"] == 1


def test_closed_poll_refuses_votes(api_client, alice, bob, time_machine):
    time_machine.move_to("2030-01-01 10:00Z")
    poll = make_poll(bob.account, expires_in=300)
    time_machine.move_to("2030-01-01 10:06Z")
    response = vote(api_client(alice, "write"), poll, [0])
    assert response.status_code == 422 and "ended" in response.json()["error"]
    assert api_client().get(f"/api/v1/polls/{poll.id}").json()["expired"] is True


def test_hidden_totals_until_the_end(api_client, alice, bob, time_machine):
    time_machine.move_to("2030-01-01 10:00Z")
    poll = make_poll(bob.account, hide_totals=True, expires_in=300)
    vote(api_client(alice, "write"), poll, [0])
    seen = api_client(alice, "read").get(f"/api/v1/polls/{poll.id}").json()
    assert [o["votes_count"] for o in seen["options"]] == [None, None, None]
    by_author = api_client(bob, "read").get(f"/api/v1/polls/{poll.id}").json()
    assert [o["votes_count"] for o in by_author["options"]] == [1, 0, 0]
    time_machine.move_to("2030-01-01 10:06Z")
    ended = api_client(alice, "read").get(f"/api/v1/polls/{poll.id}").json()
    assert [o["votes_count"] for o in ended["options"]] == [1, 0, 0]


def test_poll_of_a_hidden_post_is_not_found(api_client, alice, bob):
    poll = make_poll(bob.account, visibility="followers")
    assert api_client(alice, "read").get(f"/api/v1/polls/{poll.id}").status_code == 404
    assert vote(api_client(alice, "write"), poll, [0]).status_code == 404
    internal = make_poll(bob.account, visibility="internal")
    assert api_client().get(f"/api/v1/polls/{internal.id}").status_code == 404
    assert api_client(alice, "read").get(f"/api/v1/polls/{internal.id}").status_code == 200
    assert api_client().get("/api/v1/polls/123456").status_code == 404
    assert not PollVote.objects.exists()


def test_poll_with_media_is_refused(api_client, alice):
    response = api_client(alice, "write").post(
        "/api/v1/statuses",
        json.dumps({"status": "x", "media_ids": ["1"],
                    "poll": {"options": ["a", "b"], "expires_in": 600}}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Post.objects.exists()
