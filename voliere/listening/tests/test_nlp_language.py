"""Language detection on real sentences: the function-word stage, lingua behind it, and
the declared language kept only when detection is unsure."""

from __future__ import annotations

import pytest

from voliere.listening.pipeline.features import tokens
from voliere.listening.pipeline.language import (
    _FUNCTION_WORDS,
    LANGUAGES,
    detect,
    detect_many,
    quick_guess,
)

FRENCH = [
    "Le service client de la banque ne répond jamais, c'est vraiment décevant.",
    "Nous avons testé la nouvelle application et elle est très pratique.",
    "Changement climatique : les glaciers fondent plus vite que prévu",
    "Éolien en mer : le chantier démarre enfin au large de Saint-Nazaire",
]
ENGLISH = [
    "The customer service never answers, this is really disappointing.",
    "We tried the new app and it works great for our whole team.",
    "Arctic sea ice reached a record low this summer",
]
OTHERS = {
    "de": "Der Kundendienst antwortet nie, das ist wirklich enttäuschend.",
    "es": "El servicio al cliente nunca responde, es muy decepcionante.",
    "it": "Il servizio clienti non risponde mai, è davvero deludente.",
    "nl": "De klantenservice antwoordt nooit, dat is echt teleurstellend.",
    "pt": "O atendimento ao cliente nunca responde, é muito decepcionante.",
}


@pytest.mark.parametrize("text", FRENCH)
def test_french_sentences_are_french(text: str) -> None:
    assert detect(text) == "fr"


@pytest.mark.parametrize("text", ENGLISH)
def test_english_sentences_are_english(text: str) -> None:
    assert detect(text) == "en"


@pytest.mark.parametrize(("code", "text"), sorted(OTHERS.items()))
def test_other_languages_of_the_set(code: str, text: str) -> None:
    assert detect(text) == code


def test_text_without_words_is_unsure_and_declared_language_is_kept() -> None:
    assert detect("👍👍 !!") == ""
    assert detect_many(["👍👍 !!", "http 😀"], ["en-GB", ""]) == ["en", ""]


def test_declared_language_does_not_override_a_confident_detection() -> None:
    assert detect_many([FRENCH[0]], ["en"]) == ["fr"]


def test_function_word_lists_do_not_overlap() -> None:
    # Stage 1 maps each word to one language; a shared word would silently favour one.
    seen: dict[str, str] = {}
    for code, words in _FUNCTION_WORDS.items():
        for word in words:
            assert word not in seen, f"{word!r} is in both {seen[word]} and {code}"
            seen[word] = code
    assert set(_FUNCTION_WORDS) == set(LANGUAGES)


def test_quick_guess_abstains_on_mixed_text() -> None:
    # One French and one English cue: no clear winner, lingua decides.
    assert quick_guess(tokens("les the")) == ""
    assert quick_guess(tokens("les chats et les chiens")) == "fr"
