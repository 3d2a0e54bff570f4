"""Articles, threads, answers, votes, accepted answers and the validation state."""

from __future__ import annotations

import pytest

from voliere.accounts.actions import block_account
from voliere.api.tests.conftest import error_of, fields_of, queries_for
from voliere.communities.models import Kind
from voliere.communities.tests.factories import add_member, make_community
from voliere.knowledge.actions import articles, forum
from voliere.knowledge.actions.articles import Destination
from voliere.knowledge.models import Article, Thread

pytestmark = pytest.mark.django_db


def _write(author, **fields) -> Article:
    community = fields.pop("community", None)
    destination = Destination(community=community) if community else Destination(blog=author)
    fields.setdefault("title", "Calibrating sensors")
    fields.setdefault("body", "Read the **manual**.")
    fields.setdefault("publish", True)
    return articles.create_article(author, destination=destination, **fields)


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.fixture
def secret(alice, bob):
    community = make_community(alice, Kind.SECRET, name="Skunkworks", slug="skunkworks")
    add_member(community, bob)
    return community


# Articles -------------------------------------------------------------------------------


def test_article_visibility_by_caller(call, alice, bob, carol, secret):
    public = _write(alice.account, visibility="public")
    internal = _write(alice.account, visibility="internal")
    draft = _write(alice.account, publish=False)
    hidden = _write(alice.account, community=secret, visibility="public")
    assert _ids(call().get("/articles")) == {str(public.id)}
    assert _ids(call(carol).get("/articles")) == {str(public.id), str(internal.id)}
    assert _ids(call(bob).get("/articles")) == {str(public.id), str(internal.id), str(hidden.id)}
    # Drafts are never listed, and found by their authors only.
    assert str(draft.id) not in _ids(call(alice).get("/articles"))
    assert call(alice).get(f"/articles/{draft.id}").json()["status"] == "draft"
    for caller in (call(), call(bob)):
        response = caller.get(f"/articles/{draft.id}")
        assert response.status_code == 404
        error_of(response)
    assert call(carol).get(f"/articles/{hidden.id}").status_code == 404
    assert call().get(f"/articles/{internal.id}").status_code == 404


def test_article_detail_has_body_authors_and_validation_state(call, alice):
    article = _write(alice.account, visibility="public", tags=["Sensors", "qa"])
    body = call().get(f"/articles/{article.id}").json()
    assert body["body"] == "Read the **manual**."
    assert "<strong>manual</strong>" in body["body_html"]
    assert [a["handle"] for a in body["authors"]] == ["alice"]
    assert body["blog"]["handle"] == "alice" and body["community"] is None
    assert body["tags"] == ["qa", "sensors"]
    assert (body["revision"], body["review_state"], body["validated_revision"]) == (1, "free", None)


def test_article_list_filters(call, alice, bob, secret):
    tagged = _write(alice.account, visibility="public", tags=["pumps"])
    _write(alice.account, visibility="public")
    assert _ids(call().get("/articles", tag="pumps")) == {str(tagged.id)}
    response = call(alice).get("/articles", community="nowhere")
    assert response.status_code == 422 and fields_of(response) == {"community"}
    # A secret community's slug is "no such community" for a stranger too.
    stranger = call().get("/articles", community="skunkworks")
    assert stranger.status_code == 422
    assert error_of(stranger)["error"] == error_of(response)["error"].replace(
        "nowhere", "skunkworks"
    )


def test_create_article_draft_then_publish(call, alice, carol):
    caller = call(alice)
    created = caller.post("/articles", {"title": "Torque", "body": "Use a wrench.",
                                        "tags": ["tools"], "visibility": "public"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["tags"] == ["tools"]
    assert call(carol).get(f"/articles/{body['id']}").status_code == 404
    published = caller.patch(f"/articles/{body['id']}", {"publish": True}).json()
    assert published["status"] == "published" and published["published_at"]
    assert call(carol).get(f"/articles/{body['id']}").status_code == 200


def test_create_article_validation_names_fields_and_writes_nothing(call, alice):
    caller = call(alice)
    missing = caller.post("/articles", {"body": "No title"})
    assert missing.status_code == 422 and fields_of(missing) == {"title"}
    blank = caller.post("/articles", {"title": "   ", "body": "Text"})
    assert blank.status_code == 422 and fields_of(blank) == {"title"}
    bad = caller.post("/articles", {"title": "T", "body": "B", "visibility": "secret"})
    assert bad.status_code == 422 and fields_of(bad) == {"visibility"}
    assert not Article.objects.exists()


def test_create_article_in_a_community_needs_membership(call, alice, bob, carol, secret):
    payload = {"title": "Plan", "body": "Text", "community": "skunkworks", "publish": True}
    refused = call(carol).post("/articles", payload)
    assert refused.status_code == 422 and fields_of(refused) == {"destination"}
    unknown = call(carol).post("/articles", {**payload, "community": "nowhere"})
    assert error_of(unknown)["error"] == error_of(refused)["error"]
    created = call(bob).post("/articles", payload)
    assert created.status_code == 201
    assert created.json()["community"]["slug"] == "skunkworks"
    both = call(bob).post("/articles", {**payload, "blog": "bob"})
    assert both.status_code == 422
    assert not Article.objects.filter(created_by=carol.account).exists()


def test_only_authors_edit_and_an_edit_is_a_new_revision(call, alice, bob):
    article = _write(alice.account, visibility="public")
    refused = call(bob).patch(f"/articles/{article.id}", {"title": "Mine now"})
    assert refused.status_code == 403
    assert call(bob).patch(f"/articles/{article.id}", {}).status_code == 403
    edited = call(alice).patch(f"/articles/{article.id}", {"body": "New text"}).json()
    assert edited["revision"] == 2 and edited["title"] == "Calibrating sensors"
    assert edited["body"] == "New text"


def test_submit_for_validation_shows_the_state(call, alice, bob):
    article = _write(alice.account, visibility="public")
    assert call(bob).post(f"/articles/{article.id}/submit").status_code == 403
    state = call(alice).post(f"/articles/{article.id}/submit").json()
    assert state["review_state"] == "submitted"
    again = call(alice).post(f"/articles/{article.id}/submit")
    assert again.status_code == 422
    draft = _write(alice.account, publish=False)
    assert call(alice).post(f"/articles/{draft.id}/submit").status_code == 422


def test_writing_needs_write_scope(call, alice):
    response = call(alice, "read").post("/articles", {"title": "T", "body": "B"})
    assert response.status_code == 403
    assert call().post("/articles", {"title": "T", "body": "B"}).status_code == 401


def test_article_list_query_count_does_not_grow(call, alice, make_user):
    for number in range(8):
        author = make_user(f"writer{number}")
        _write(author.account, visibility="public", tags=["a", "b"])
    assert queries_for(call(alice), "/articles", limit=2) == queries_for(
        call(alice), "/articles", limit=8
    )


# Threads and answers --------------------------------------------------------------------


def test_thread_visibility_by_caller(call, alice, bob, carol, secret):
    public = forum.ask_question(alice.account, title="Public?", body="Q", visibility="public")
    internal = forum.ask_question(alice.account, title="Internal?", body="Q")
    hidden = forum.ask_question(
        bob.account, title="Secret?", body="Q", community=secret, visibility="public"
    )
    assert _ids(call().get("/threads")) == {str(public.id)}
    assert _ids(call(carol).get("/threads")) == {str(public.id), str(internal.id)}
    assert str(hidden.id) in _ids(call(alice).get("/threads"))
    assert call(carol).get(f"/threads/{hidden.id}").status_code == 404
    block_account(alice.account, carol.account)
    assert call(carol).get(f"/threads/{internal.id}").status_code == 404


def test_ask_answer_vote_accept(call, alice, bob, carol):
    asked = call(alice).post("/threads", {"title": "Which valve?", "body": "3 bar line",
                                          "tags": ["valves"]})
    assert asked.status_code == 201, asked.content
    thread_id = asked.json()["id"]
    answer = call(bob).post(f"/threads/{thread_id}/answers", {"body": "The *red* one"})
    assert answer.status_code == 201
    answer_id = answer.json()["id"]
    assert "<em>red</em>" in answer.json()["body_html"]

    own_vote = call(bob).post(f"/answers/{answer_id}/vote")
    assert own_vote.status_code == 422
    voted = call(carol).post(f"/answers/{answer_id}/vote").json()
    assert voted["score"] == 1 and voted["voted_by_me"] is True
    assert call(carol).post(f"/answers/{answer_id}/vote").json()["score"] == 1
    assert call(carol).post(f"/answers/{answer_id}/unvote").json()["score"] == 0

    assert call(carol).post(f"/answers/{answer_id}/accept").status_code == 403
    accepted = call(alice).post(f"/answers/{answer_id}/accept").json()
    assert accepted["accepted"] is True
    thread = call(carol).get(f"/threads/{thread_id}").json()
    assert thread["accepted_answer_id"] == answer_id
    assert [a["id"] for a in thread["answers"]] == [answer_id]
    assert thread["answers_count"] == 1
    assert _ids(call(carol).get("/threads", state="solved")) == {thread_id}


def test_answer_in_a_community_thread_needs_membership(call, alice, bob, carol):
    guild = make_community(alice, Kind.OPEN, name="Guild", slug="guild")
    add_member(guild, bob)
    thread = forum.ask_question(bob.account, title="Members?", body="Q", community=guild)
    response = call(carol).post(f"/threads/{thread.id}/answers", {"body": "Me"})
    assert response.status_code == 403
    assert not thread.answers.exists()


def test_ask_validation_and_community_secrecy(call, alice, carol, secret):
    refused = call(carol).post("/threads", {"title": "Q", "body": "B", "community": "skunkworks"})
    assert refused.status_code == 422 and fields_of(refused) == {"community"}
    empty = call(carol).post("/threads/1/answers", {"body": ""})
    assert empty.status_code == 404
    thread = forum.ask_question(alice.account, title="Q?", body="B")
    blank = call(carol).post(f"/threads/{thread.id}/answers", {"body": "  "})
    assert blank.status_code == 422 and fields_of(blank) == {"body"}
    assert not Thread.objects.filter(author=carol.account).exists()


def test_unknown_ids_are_404_not_500(call, alice):
    for path in ("/articles/abc", "/articles/99999999999999999999", "/threads/-1",
                 "/answers/abc/vote"):
        method = call(alice).post if path.endswith("vote") else call(alice).get
        response = method(path)
        assert response.status_code == 404, path
        error_of(response)
