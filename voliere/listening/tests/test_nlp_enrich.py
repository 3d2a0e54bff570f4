"""`enrich`: the batch API used by ingestion and `voliere nlp classify` — same results in a
batch as one by one, declared languages, questions, entities and key phrases."""

from __future__ import annotations

import pytest

from voliere.listening.pipeline.enrich import Enrichment, enrich, is_question
from voliere.listening.pipeline.entities import lean_entities

POSTS = [
    "Le service client d'@acme ne répond jamais, quelle honte 😡 #panne",
    "We love the new Acme Cloud dashboard, great work! 🎉",
    "Est-ce que quelqu'un sait quand la livraison reprend",
    "Der Kundendienst antwortet nie.",
    "👍",
    "",
    "How do I reset my password on the app?",
]


def test_batch_equals_one_by_one() -> None:
    batch = enrich(POSTS)
    assert batch == [enrich([post])[0] for post in POSTS]
    assert all(isinstance(result, Enrichment) for result in batch)


def test_results_of_a_mixed_batch() -> None:
    angry, happy, question, german, emoji, empty, how = enrich(POSTS)
    assert (angry.lang, angry.sentiment, angry.model) == ("fr", "negative", "voliere-linear-1")
    assert 0.0 < angry.score <= 1.0
    assert {"text": "@acme", "label": "HANDLE"} in angry.entities
    assert {"text": "#panne", "label": "HASHTAG"} in angry.entities
    assert (happy.lang, happy.sentiment) == ("en", "positive")
    assert {"text": "Acme Cloud", "label": "PHRASE"} in happy.entities
    assert question.is_question and question.lang == "fr"
    assert how.is_question and how.lang == "en"
    assert not angry.is_question and not happy.is_question
    assert (german.lang, german.sentiment, german.score, german.model) == ("de", "neutral",
                                                                          0.0, "")
    assert (emoji.lang, emoji.model) == ("", "")
    assert (empty.lang, empty.sentiment, empty.model) == ("", "neutral", "")


def test_declared_language_fills_in_when_detection_is_unsure() -> None:
    [emoji, french] = enrich(["👍", "Très bon produit, merci !"], declared_langs=["fr", "en"])
    assert emoji.lang == "fr" and emoji.model == "voliere-linear-1"
    assert french.lang == "fr"  # detection wins when it is sure


def test_declared_languages_must_match_the_texts() -> None:
    with pytest.raises(ValueError, match="2 texts but 1 declared"):
        enrich(["a", "b"], declared_langs=["fr"])


@pytest.mark.parametrize(("text", "expected"), [
    ("Vous ouvrez quand ?", True),
    ("Pourquoi ma commande n'est pas arrivée", True),
    ("Pouvez-vous m'aider avec ma facture", True),
    ("@acme can you help me with my order", True),
    ("Is there a way to export my data?", True),
    ("Quelle honte, service catastrophique", False),
    ("Super produit, merci !", False),
    ("Read this: https://example.com/faq?lang=fr", False),
    ("What a great day!", True),  # known limit: wh-exclamations read as questions
])
def test_question_heuristic(text: str, expected: bool) -> None:
    assert is_question(text) is expected


def test_lean_entities_follow_their_rules() -> None:
    text = ("M. Jean Dupont quitte Acme Holding SA pour s'installer à Lyon ; "
            "$ACME monte, merci @bourse #finance. RT Le Monde")
    found = lean_entities(text)
    assert {"text": "Jean Dupont", "label": "PERSON"} in found
    assert {"text": "Acme Holding SA", "label": "ORG"} in found
    assert {"text": "Lyon", "label": "PLACE"} in found
    assert {"text": "$ACME", "label": "ORG"} in found
    assert {"text": "@bourse", "label": "HANDLE"} in found
    assert {"text": "#finance", "label": "HASHTAG"} in found
    assert {"text": "Le Monde", "label": "PHRASE"} in found
    # A lone capitalised word at a sentence start is not an entity; prices are not tickers.
    assert lean_entities("Bonjour tout le monde, le prix est $5") == []
