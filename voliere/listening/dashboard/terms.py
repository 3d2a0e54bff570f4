"""Top terms of a set of mention texts: a stop-word-filtered word count, French and English.

Words are split like the search index splits them (`voliere.search.text.WORD_RE`) and
case-folded; links, @handles and #hashtags are left out (hashtags have their own panel), as
are numbers, words under three letters, stop words, and the words of the topics' queries
(every matched mention contains them, so they would only restate the topic). Each text
counts a word once: the count is "mentions using this word".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from voliere.core.text import tokenize
from voliere.search.text import WORD_RE

MIN_LENGTH = 3

STOP_WORDS = frozenset("""
a à ai aie ainsi alors au aucun aussi autre aux avec avoir avait bien c ça car ce ceci cela
celle celles celui cet cette ces chez ci comme comment d dans de des deja déjà depuis donc
dont du elle elles en encore entre est et été étaient était être eu fait faire fois font
hors ici il ils j je jusqu l la là le les leur leurs lui m ma mais me même mes moi mon
n ne ni non nos notre nous on ont ou où par parce pas peu peut plus pour pourquoi qu quand
que quel quelle quelles quels qui quoi s sa sans se ses si sien son sont sous suis sur t ta
te tes toi ton tous tout toute toutes très tu un une unes uns va vais vers vont vos votre
vous y rt via cest jai

about above after again against all also am an and any are aren as at be because been
before being below between both but by can cannot could did didn do does doesn doing don
down during each few for from further get got had has have having he her here hers herself
him himself his how i if in into is isn it its itself just let me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should
so some such than that the their theirs them themselves then there these they this those
through to too under until up very was wasn we were what when where which while who whom
why will with won would you your yours yourself yourselves im dont cant ive youre amp
""".split())


def words_of(text: str) -> set[str]:
    """The countable words of one text (see the module docstring)."""
    found: set[str] = set()
    for token in tokenize(text):
        if token.kind != "text":
            continue
        for match in WORD_RE.finditer(token.value):
            word = match.group().casefold()
            if len(word) >= MIN_LENGTH and not word.isdigit() and word not in STOP_WORDS:
                found.add(word)
    return found


def top_terms(texts: Iterable[str], *, exclude_from: Iterable[str] = (),
              limit: int = 10) -> list[tuple[str, int]]:
    """The `limit` words used by the most texts, as (word, texts using it), ties by word."""
    excluded = {m.group().casefold() for query in exclude_from for m in WORD_RE.finditer(query)}
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(words_of(text) - excluded)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
