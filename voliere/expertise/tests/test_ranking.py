"""The ranking: what counts, how much, in which languages, and for whom."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from voliere.accounts.actions import block_account, follow_account, suspend_account
from voliere.expertise.ranking import find_experts
from voliere.knowledge.actions import forum, review
from voliere.posts.actions import publish_post

pytestmark = pytest.mark.django_db

# French stop words ("le", "est", "qui") make the index stem these texts as French.
QUESTION = "Le réseau industriel est en panne"
QUESTION_BODY = "Le réseau de la plateforme est coupé, qui peut aider ?"


def handles(results) -> list[str]:
    return [r.account.handle for r in results]


def test_skills_endorsements_accepted_answers_and_recency_in_that_balance(person, ask):
    viewer = person("asker")
    endorsed = person("endorsed", skills=("Réseaux",), endorsements=7)
    declared = person("declared", skills=("Réseaux",))
    accepted = person("accepted")
    answered = person("answered")
    poster = person("poster")
    veteran = person("veteran")
    with time_machine.travel(timezone.now() - timedelta(days=730)):
        old = ask(viewer, title="Câblage du réseau de l'atelier", body=QUESTION_BODY)
        forum.accept_answer(viewer, forum.answer_question(veteran, old, "Câble de catégorie 6."))
    thread = ask(viewer, title=QUESTION, body=QUESTION_BODY)
    forum.accept_answer(viewer, forum.answer_question(accepted, thread, "Redémarrez le switch."))
    forum.answer_question(answered, thread, "Voir avec l'équipe informatique.")
    publish_post(poster, "Le réseau est coupé dans le bâtiment B, qui sait pourquoi ?")

    results = find_experts(viewer, "réseaux")

    # 4 + 1.5·log2(8) = 8.5 > accepted answer today 5 > skill alone 4 > answer 2 > post 1
    # > an accepted answer two years old: 5·log2(1 + 0.5**(730/180)) ≈ 0.44.
    assert handles(results) == ["endorsed", "accepted", "declared", "answered", "poster", "veteran"]
    scores = {r.account.handle: r.score for r in results}
    assert scores["endorsed"] == pytest.approx(8.5)
    assert scores["accepted"] == pytest.approx(5.0, abs=0.01)
    assert scores["veteran"] == pytest.approx(0.44, abs=0.02)
    assert results[0].skills[0].name == "Réseaux" and results[0].skills[0].endorsements == 7
    assert results[1].counts == {"post": 0, "answer": 0, "accepted_answer": 1, "article": 0}
    assert results[1].items[0].kind == "accepted_answer"
    answer = thread.answers.get(author=accepted)
    assert results[1].items[0].url == f"{thread.get_absolute_url()}#answer-{answer.pk}"
    assert results[1].items[0].title == QUESTION
    assert results[2].account == declared and results[0].account == endorsed


def test_validated_article_weighs_more_than_a_free_one(person, make_community, write_article):
    viewer = person("reader")
    owner = person("owner")
    free, vetted = person("free"), person("vetted")
    guild = make_community(owner, "open", free, vetted)
    write_article(free, title="Corrosion des pipelines", body="Le guide est ici.", community=guild)
    article = write_article(
        vetted,
        title="Corrosion des pipelines offshore",
        body="La méthode validée.",
        community=guild,
    )
    review.submit_for_validation(vetted, article)
    review.validate_item(owner, article, revision=1)

    results = find_experts(viewer, "corrosion")

    assert handles(results) == ["vetted", "free"]
    assert results[0].items[0].validated and results[0].items[0].kind == "article"
    # One article each: 4·log2(1 + 2) when validated, 4·log2(1 + 1) otherwise.
    assert results[0].score == pytest.approx(4 * math.log2(3), abs=0.01)
    assert results[1].score == pytest.approx(4.0, abs=0.01)


def test_many_posts_do_not_outweigh_a_few_accepted_answers(person, ask):
    viewer = person("asker")
    chatty, expert = person("chatty"), person("expert")
    for n in range(12):
        publish_post(chatty, f"Encore une question de vannes, numéro {n}, qui sait ?")
    for n in range(3):
        thread = ask(viewer, title=f"Quelle vanne pour la ligne {n} ?", body=QUESTION_BODY)
        forum.accept_answer(viewer, forum.answer_question(expert, thread, "Une vanne 3 bars."))

    assert handles(find_experts(viewer, "vannes")) == ["expert", "chatty"]


@pytest.mark.parametrize(
    ("skill", "query"),
    [
        ("Réseau", "reseaux"),  # accents and the French plural
        ("Sécurité informatique", "securite"),
        ("Networking", "networks"),  # English stems
        ("PostgreSQL", "postgres"),  # the beginning of a long word
        ("Machine learning", "#machine_learning"),  # a hashtag is taken as its words
    ],
)
def test_skills_match_whatever_the_accents_and_word_forms(person, skill, query):
    viewer = person("viewer")
    person("knower", skills=(skill,))
    person("other", skills=("Comptabilité",))

    assert handles(find_experts(viewer, query)) == ["knower"]


def test_written_work_matches_in_french_and_english(person):
    viewer = person("viewer")
    french, english = person("french"), person("english")
    publish_post(french, "Les réseaux de capteurs sont déployés, et la mesure est stable.")
    publish_post(english, "We are deploying the sensor networks this week, and it is going well.")

    assert set(handles(find_experts(viewer, "reseau"))) == {"french"}
    assert set(handles(find_experts(viewer, "network"))) == {"english"}
    assert set(handles(find_experts(viewer, "capteurs"))) == {"french"}


def test_a_skill_matching_only_part_of_the_query_counts_for_that_part(person):
    viewer = person("viewer")
    person("both", skills=("Réseaux industriels",))
    person("half", skills=("Réseaux",))

    results = find_experts(viewer, "réseaux industriels")

    assert handles(results) == ["both", "half"]
    assert results[1].score == pytest.approx(results[0].score / 2)


def test_excluded_words_drop_matching_skills(person):
    viewer = person("viewer")
    person("wired", skills=("Réseaux",))
    person("social", skills=("Réseaux sociaux",))

    assert handles(find_experts(viewer, "réseaux -sociaux")) == ["wired"]


def test_reasons_list_only_what_the_viewer_may_see(person):
    viewer = person("viewer")
    follower = person("follower")
    author = person("author")
    hidden_only = person("hiddenonly")
    follow_account(follower, author)
    follow_account(follower, hidden_only)
    publish_post(author, "Corrosion des brides : la méthode publique.")
    publish_post(
        author, "Corrosion des brides : le détail pour mes abonnés.", visibility="followers"
    )
    publish_post(author, "@follower corrosion : entre nous.", visibility="direct")
    publish_post(hidden_only, "Corrosion : seulement pour mes abonnés.", visibility="followers")

    outsider_view = find_experts(viewer, "corrosion")
    follower_view = find_experts(follower, "corrosion")

    assert handles(outsider_view) == ["author"]
    assert outsider_view[0].counts["post"] == 1
    assert [i.title for i in outsider_view[0].items] == [
        "Corrosion des brides : la méthode publique."
    ]
    assert set(handles(follower_view)) == {"author", "hiddenonly"}
    by_handle = {r.account.handle: r for r in follower_view}
    assert by_handle["author"].counts["post"] == 3
    assert by_handle["author"].score > outsider_view[0].score


def test_secret_community_work_counts_only_for_its_members(
    person, make_community, write_article, ask
):
    owner, insider, outsider = person("owner"), person("insider"), person("outsider")
    secret = make_community(owner, "secret", insider)
    write_article(insider, title="Corrosion sous isolant", body="Notre retour.", community=secret)
    thread = ask(owner, title="Corrosion des brides ?", body=QUESTION_BODY, community=secret)
    forum.answer_question(insider, thread, "Oui, voir l'article.")
    publish_post(insider, "Corrosion : on en parle entre nous.", community=secret)

    assert find_experts(outsider, "corrosion") == []
    member_view = find_experts(owner, "corrosion")
    assert handles(member_view) == ["insider"]
    assert member_view[0].counts == {"post": 1, "answer": 1, "accepted_answer": 0, "article": 1}


def test_suspended_blocked_and_organisation_accounts_are_never_ranked(person):
    viewer = person("viewer")
    person("active", skills=("Hydraulique",))
    suspend_account(person("gone", skills=("Hydraulique",)))
    block_account(viewer, person("blocked", skills=("Hydraulique",)))
    block_account(person("blocker", skills=("Hydraulique",)), viewer)

    assert handles(find_experts(viewer, "hydraulique")) == ["active"]


def test_limit_and_exclusions(person):
    viewer = person("viewer")
    for n in range(5):
        person(f"expert{n}", skills=("Soudure",), endorsements=n)

    top = find_experts(viewer, "soudure", limit=2, exclude=[])
    assert handles(top) == ["expert4", "expert3"]
    assert handles(find_experts(viewer, "soudure", limit=2, exclude=[top[0].account.pk])) == [
        "expert3",
        "expert2",
    ]
