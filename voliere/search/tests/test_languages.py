"""Accent-insensitive, stemmed search in French and English, the same on both databases."""

import pytest

from voliere.posts.actions import publish_post
from voliere.search.tests.helpers import found_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(alice):
    author = alice.account
    return {
        "fr": publish_post(author, "Les réunions d'équipe sont déplacées à jeudi.", language="fr"),
        "fr_guessed": publish_post(author, "Nous mangeons à la cantine avec les stagiaires."),
        "en": publish_post(author, "I was running the migrations all night.", language="en"),
        "en_guessed": publish_post(author, "The dashboards are slower than the caches."),
        "other": publish_post(author, "Budget 2027 planning."),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("reunion", ["fr"]),
        ("RÉUNIONS", ["fr"]),
        ("equipe deplacees", ["fr"]),
        ("jeudi", ["fr"]),
        ("cantines", ["fr_guessed"]),
        ("stagiaire", ["fr_guessed"]),
        ("run", ["en"]),
        ("runs migration", ["en"]),
        ("dashboard cache", ["en_guessed"]),
        ("slower dashboards", ["en_guessed"]),
        ("planning budget", ["other"]),
        ("reunion budget", []),
    ],
)
def test_word_forms_and_accents(posts, bob, query, expected):
    assert found_ids(bob.account, query) == [posts[name].id for name in expected]


def test_phrases_keep_word_order(posts, bob):
    assert found_ids(bob.account, '"running the migrations"') == [posts["en"].id]
    assert found_ids(bob.account, '"migrations running"') == []


def test_exclusion(posts, bob):
    publish_post(bob.account, "Budget review, with coffee.")
    assert found_ids(bob.account, "budget -coffee") == [posts["other"].id]


def test_language_filter_uses_declared_or_guessed_language(posts, bob):
    assert set(found_ids(bob.account, "lang:fr")) == {posts["fr"].id, posts["fr_guessed"].id}
    assert set(found_ids(bob.account, "lang:en")) >= {posts["en"].id, posts["en_guessed"].id}


def test_snippet_highlights_the_matching_forms(posts, bob):
    from voliere.search.engine import search

    (item,) = search(bob.account, "reunion equipe", kinds=["posts"]).by_kind["posts"].items
    assert "<mark>réunions</mark>" in item.snippet
    assert "<mark>équipe</mark>" in item.snippet
