"""Who sees which article and question, on every surface: lists, pages, history, diffs,
revisions, blogs, notifications."""

from __future__ import annotations

import pytest
from django.urls import reverse

from voliere.accounts.actions import block_account, suspend_account
from voliere.communities import actions as community_actions
from voliere.knowledge.access import visible_articles, visible_threads
from voliere.knowledge.actions import articles, forum
from voliere.notifications.queries import visible_notifications

pytestmark = pytest.mark.django_db


def _pages(kind: str, item) -> list[str]:  # noqa: ANN001
    pages = [
        reverse("knowledge_history", args=[kind, item.pk]),
        reverse("knowledge_diff", args=[kind, item.pk]),
        reverse("knowledge_revision", args=[kind, item.pk, 1]),
    ]
    if kind == "article":
        return [item.get_absolute_url(), *pages]
    return [item.get_absolute_url(), *pages]


def _statuses(client, urls: list[str]) -> set[int]:  # noqa: ANN001
    return {client.get(url).status_code for url in urls}


def test_anonymous_sees_only_public_published_articles(client, alice, write_article):
    public = write_article(alice.account, title="Public note", visibility="public")
    internal = write_article(alice.account, title="Internal note", visibility="internal")
    draft = write_article(alice.account, title="Draft note", visibility="public", publish=False)
    assert set(visible_articles(None)) == {public}
    assert _statuses(client, _pages("article", public)) == {200}
    assert _statuses(client, _pages("article", internal)) == {404}
    assert _statuses(client, _pages("article", draft)) == {404}
    home = client.get(reverse("knowledge")).content.decode()
    assert "Public note" in home and "Internal note" not in home and "Draft note" not in home


def test_members_see_internal_articles_but_drafts_stay_with_their_authors(
    login, alice, bob, carol, write_article
):
    draft = write_article(
        alice.account, title="Half-written", publish=False, coauthors=[carol.account]
    )
    internal = write_article(alice.account, title="For colleagues")
    assert set(visible_articles(bob.account)) == {internal}
    assert set(visible_articles(carol.account)) == {draft, internal}
    client = login(bob)
    assert _statuses(client, _pages("article", draft)) == {404}
    assert client.get(reverse("knowledge_article_edit", args=[internal.pk])).status_code == 404
    body = client.get(reverse("knowledge")).content.decode()
    assert "For colleagues" in body and "Half-written" not in body
    client = login(carol)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert "Half-written" in client.get(reverse("knowledge")).content.decode()


def test_secret_community_items_are_invisible_to_outsiders_everywhere(
    client, login, alice, bob, carol, make_community, write_article, ask
):
    secret = make_community(alice.account, "secret", carol.account, name="Skunkworks")
    article = write_article(
        carol.account, community=secret, title="Prototype X", visibility="public"
    )
    thread = ask(carol.account, community=secret, title="Prototype Y?", visibility="public")
    for viewer in (None, bob.account):
        assert not visible_articles(viewer).filter(pk=article.pk).exists()
        assert not visible_threads(viewer).filter(pk=thread.pk).exists()
    assert visible_articles(alice.account).filter(pk=article.pk).exists()
    for c in (client, login(bob)):
        assert _statuses(c, _pages("article", article) + _pages("thread", thread)) == {404}
        for tab in ("articles", "questions", "validated"):
            body = c.get(reverse("knowledge"), {"tab": tab}).content.decode()
            assert "Prototype" not in body and "Skunkworks" not in body
        assert "Prototype" not in c.get(reverse("knowledge_blog", args=["carol"])).content.decode()
        # Filtering by the secret community's address does not confirm it exists.
        response = c.get(reverse("knowledge"), {"community": secret.slug})
        assert response.status_code == 400 and b"Prototype" not in response.content


def test_an_invitee_or_former_member_of_a_secret_community_sees_nothing(
    alice, bob, carol, make_community, write_article
):
    secret = make_community(alice.account, "secret", carol.account)
    article = write_article(alice.account, community=secret)
    community_actions.invite_to_community(alice.account, secret, bob.account)
    assert not visible_articles(bob.account).filter(pk=article.pk).exists()
    community_actions.leave_community(carol.account, secret)
    assert not visible_articles(carol.account).filter(pk=article.pk).exists()


def test_open_community_items_follow_their_visibility(alice, bob, make_community, ask):
    open_one = make_community(alice.account, "open")
    public = ask(alice.account, community=open_one, visibility="public")
    internal = ask(alice.account, community=open_one, title="Internal?")
    assert set(visible_threads(None)) == {public}
    assert set(visible_threads(bob.account)) == {public, internal}


def test_blocks_hide_items_both_ways(alice, bob, write_article, ask):
    article = write_article(alice.account)
    thread = ask(alice.account)
    block_account(bob.account, alice.account)
    assert not visible_articles(bob.account).exists()
    assert not visible_threads(bob.account).exists()
    assert not visible_articles(alice.account).exclude(pk=article.pk).exists()
    mine = ask(bob.account, title="Bob asks")
    assert not visible_threads(alice.account).filter(pk=mine.pk).exists()
    assert visible_threads(alice.account).filter(pk=thread.pk).exists()


def test_blocked_answers_are_hidden_from_the_thread(login, alice, bob, carol, ask):
    thread = ask(alice.account)
    forum.answer_question(bob.account, thread, "Answer from Bob here")
    forum.answer_question(carol.account, thread, "Answer from Carol here")
    block_account(alice.account, bob.account)
    body = login(alice).get(thread.get_absolute_url()).content.decode()
    assert "Answer from Carol here" in body and "Answer from Bob" not in body


def test_suspended_authors_items_disappear(alice, bob, write_article, ask):
    write_article(alice.account)
    ask(alice.account)
    suspend_account(alice.account)
    assert not visible_articles(bob.account).exists()
    assert not visible_threads(bob.account).exists()


def test_notifications_about_an_item_vanish_when_it_becomes_invisible(
    alice, bob, make_community, ask, run_on_commit
):
    community = make_community(alice.account, "secret", bob.account)
    thread = ask(alice.account, community=community)
    with run_on_commit():
        forum.answer_question(bob.account, thread, "Try the blue valve.")
    assert visible_notifications(alice.account).filter(kind="answer").count() == 1
    bob_thread = ask(bob.account, community=community, title="Bob's question")
    with run_on_commit():
        forum.answer_question(alice.account, bob_thread, "Here you go")
    assert visible_notifications(bob.account).filter(kind="answer").count() == 1
    community_actions.leave_community(bob.account, community)
    assert visible_notifications(bob.account).filter(kind="answer").count() == 0


def test_only_authors_edit_and_others_get_not_found(login, alice, bob, write_article):
    article = write_article(alice.account)
    client = login(bob)
    response = client.post(
        reverse("knowledge_article_edit", args=[article.pk]), {"title": "Mine", "body": "x"}
    )
    assert response.status_code == 404
    with pytest.raises(Exception, match="Only the authors"):
        articles.edit_article(bob.account, article, title="Mine", body="x")
    article.refresh_from_db()
    assert article.title == "How we calibrate sensors"
