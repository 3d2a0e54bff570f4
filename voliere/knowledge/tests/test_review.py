"""The validated space: submit → validate / reject, validators per space, history, and a new
revision of a validated item (the badge goes until the new revision is validated)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from voliere.accounts.models import Role, User
from voliere.communities import actions as community_actions
from voliere.core.exceptions import Forbidden, InvalidInput
from voliere.knowledge.actions import articles, forum
from voliere.knowledge.actions.review import (
    grant_validator,
    reject_item,
    submit_for_validation,
    validate_item,
    withdraw_from_validation,
)
from voliere.knowledge.models import ReviewState, ValidationEvent
from voliere.knowledge.queries import review_queue
from voliere.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user) -> User:
    user = make_user("boss")
    User.objects.filter(pk=user.pk).update(role=Role.ADMIN)
    user.refresh_from_db()
    return user


@pytest.fixture
def validator(make_user, admin) -> User:
    user = make_user("vera")
    grant_validator(admin.account, user.account)
    return user


def test_validation_round_trip_keeps_history_and_tells_people(
    alice, validator, write_article, run_on_commit
):
    article = write_article(alice.account)
    with run_on_commit():
        submit_for_validation(alice.account, article)
    request = Notification.objects.get(recipient=validator.account, kind="validation_request")
    assert (request.subject_type, request.subject_id) == ("article", article.pk)
    assert article in review_queue(validator.account).articles
    with run_on_commit():
        validate_item(validator.account, article, revision=1, comment="Checked on site")
    article.refresh_from_db()
    assert article.review_state == ReviewState.VALIDATED and article.is_validated
    assert article.validated_revision == 1 and article.validated_at is not None
    assert Notification.objects.filter(recipient=alice.account, kind="validation_result").exists()
    history = list(
        ValidationEvent.objects.filter(article=article).values_list(
            "action", "revision", "actor__handle", "comment"
        )
    )
    assert history == [
        ("submitted", 1, "alice", ""),
        ("validated", 1, "vera", "Checked on site"),
    ]
    assert article not in review_queue(validator.account).articles


def test_a_new_revision_of_a_validated_item_goes_back_to_review(
    client, login, alice, validator, write_article, run_on_commit
):
    article = write_article(alice.account, title="Valve torque table", visibility="public")
    submit_for_validation(alice.account, article)
    validate_item(validator.account, article, revision=1)
    assert "✓ Validated" in client.get(article.get_absolute_url()).content.decode()
    with run_on_commit():
        articles.edit_article(
            alice.account,
            article,
            title="Valve torque table",
            body="Step **one**: read the manual. Step two: torque 12 Nm.",
        )
    article.refresh_from_db()
    assert article.revision == 2
    assert article.review_state == ReviewState.SUBMITTED and not article.is_validated
    assert article.validated_revision == 1  # the last validated revision is remembered
    assert ValidationEvent.objects.filter(article=article).last().action == "resubmitted"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "✓ Validated" not in page
    assert "Revision 1 was validated" in page
    assert (
        client.get(reverse("knowledge_revision", args=["article", article.pk, 1])).status_code
        == 200
    )
    # Validated tab: gone until revalidated.
    tab = client.get(reverse("knowledge"), {"tab": "validated"}).content.decode()
    assert "Valve torque table" not in tab
    validate_item(validator.account, article, revision=2)
    article.refresh_from_db()
    assert article.is_validated and article.validated_revision == 2
    tab = client.get(reverse("knowledge"), {"tab": "validated"}).content.decode()
    assert "Valve torque table" in tab


def test_each_revision_asks_validators_again_and_each_decision_is_told(
    alice, validator, write_article, run_on_commit
):
    article = write_article(alice.account)
    with run_on_commit():
        submit_for_validation(alice.account, article)
    with run_on_commit():
        validate_item(validator.account, article, revision=1)
    with run_on_commit():
        articles.edit_article(alice.account, article, title=article.title, body="Second text.")
    article.refresh_from_db()
    with run_on_commit():
        validate_item(validator.account, article, revision=2)
    requests = Notification.objects.filter(recipient=validator.account, kind="validation_request")
    results = Notification.objects.filter(recipient=alice.account, kind="validation_result")
    assert requests.count() == 2
    assert results.count() == 2


def test_an_edit_that_changes_nothing_makes_no_revision(alice, validator, write_article):
    article = write_article(alice.account, tags="pumps, safety")
    submit_for_validation(alice.account, article)
    validate_item(validator.account, article, revision=1)
    articles.edit_article(
        alice.account, article, title=article.title, body=article.body, tags="Safety, pumps"
    )
    article.refresh_from_db()
    assert article.revision == 1 and article.is_validated


def test_validators_must_name_the_revision_they_read(alice, validator, write_article):
    article = write_article(alice.account)
    submit_for_validation(alice.account, article)
    articles.edit_article(alice.account, article, title="New title", body="New body")
    with pytest.raises(InvalidInput, match="no longer the current one"):
        validate_item(validator.account, article, revision=1)
    article.refresh_from_db()
    assert article.review_state == ReviewState.SUBMITTED


def test_rejection_needs_a_comment_and_the_author_can_resubmit(alice, validator, ask):
    thread = ask(alice.account)
    submit_for_validation(alice.account, thread)
    with pytest.raises(InvalidInput, match="Say why"):
        reject_item(validator.account, thread, revision=1, comment="  ")
    reject_item(validator.account, thread, revision=1, comment="Cite the standard")
    thread.refresh_from_db()
    assert thread.review_state == ReviewState.REJECTED
    forum.edit_question(alice.account, thread, title=thread.title, body="Per ISO 5208: ...")
    thread.refresh_from_db()
    assert thread.review_state == ReviewState.REJECTED  # a rejected item waits for its author
    submit_for_validation(alice.account, thread)
    validate_item(validator.account, thread, revision=2)
    thread.refresh_from_db()
    assert thread.is_validated and thread.validated_revision == 2


def test_who_may_validate(alice, bob, carol, validator, admin, make_community, write_article):
    blog_article = write_article(alice.account)
    submit_for_validation(alice.account, blog_article)
    with pytest.raises(Forbidden):
        validate_item(bob.account, blog_article, revision=1)  # not a validator
    community = make_community(carol.account, "open", alice.account, bob.account)
    community_article = write_article(alice.account, community=community)
    submit_for_validation(alice.account, community_article)
    with pytest.raises(Forbidden):  # instance validators do not validate inside communities
        validate_item(validator.account, community_article, revision=1)
    with pytest.raises(Forbidden):  # a plain member
        validate_item(bob.account, community_article, revision=1)
    assert community_article in review_queue(carol.account).articles  # the owner moderates
    grant_validator(carol.account, bob.account, community=community)
    validate_item(bob.account, community_article, revision=1)
    with pytest.raises(Forbidden):  # only administrators grant the instance role
        grant_validator(bob.account, carol.account)


def test_authors_cannot_validate_their_own_work(alice, admin, write_article):
    grant_validator(admin.account, alice.account)
    article = write_article(alice.account)
    submit_for_validation(alice.account, article)
    with pytest.raises(Forbidden, match="own work"):
        validate_item(alice.account, article, revision=1)
    assert article not in review_queue(alice.account).articles


def test_drafts_cannot_be_submitted_and_only_authors_submit(alice, bob, write_article):
    draft = write_article(alice.account, publish=False)
    with pytest.raises(InvalidInput, match="Publish the article"):
        submit_for_validation(alice.account, draft)
    published = write_article(alice.account)
    with pytest.raises(Forbidden):
        submit_for_validation(bob.account, published)


def test_withdraw_returns_to_the_free_space(alice, validator, write_article):
    article = write_article(alice.account)
    submit_for_validation(alice.account, article)
    withdraw_from_validation(alice.account, article)
    article.refresh_from_db()
    assert article.review_state == ReviewState.FREE
    with pytest.raises(InvalidInput):
        validate_item(validator.account, article, revision=1)


def test_review_through_the_pages(login, alice, validator, write_article):
    article = write_article(alice.account)
    client = login(alice)
    url = reverse("knowledge_review", args=["article", article.pk])
    assert client.post(url, {"step": "submit"}).status_code == 302
    client = login(validator)
    assert (
        "How we calibrate sensors" in client.get(reverse("knowledge_review_queue")).content.decode()
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Validate revision 1" in page
    response = client.post(url, {"step": "reject", "revision": "1", "comment": ""})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    response = client.post(url, {"step": "validate", "revision": "x"})
    assert response.status_code == 400
    assert client.post(url, {"step": "validate", "revision": "1"}).status_code == 302
    article.refresh_from_db()
    assert article.is_validated


def test_secret_community_items_never_reach_outside_validators(
    alice, bob, make_community, write_article, run_on_commit
):
    community = make_community(alice.account, "secret", bob.account)
    community_actions.set_role(alice.account, community, bob.account, "moderator")
    article = write_article(alice.account, community=community)
    with run_on_commit():
        submit_for_validation(alice.account, article)
    recipients = set(
        Notification.objects.filter(kind="validation_request").values_list(
            "recipient__handle", flat=True
        )
    )
    assert recipients == {"bob"}
