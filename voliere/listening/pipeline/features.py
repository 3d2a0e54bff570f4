"""Features of a short post for the shipped sentiment model: one function, `extract`, used
both by training (`training.py`) and by inference (`sentiment.py`), so the two can never
drift apart.

Why these features: the labelled sets are small (about 1,800 tweets per language), so
the model leans on things that generalise beyond the training words — two polarity
lexicons (French from Pattern, English from VADER, see `lexicons.py`), emoji and
emoticons, negation scope (a word after "not"/"n't"/"pas"/"jamais"… is marked, and its
lexicon polarity flipped: "pas mal", "not bad"), elongation ("soooo"), shouting (caps)
and punctuation ("!!", "?") — plus word unigrams/bigrams and word-edge character n-grams
for the vocabulary the data does carry. Everything is pure Python and allocation-light:
inference must stay far under 100 µs per post.
"""

from __future__ import annotations

import re
from functools import lru_cache

from voliere.listening.pipeline.lexicons import emoji_polarity, word_polarity

# Words, emoticons, single emoji/symbols, runs of ! and ?. URLs and @handles first so
# that they are one token each.
_TOKEN = re.compile(
    r"https?://\S+|www\.\S+"
    r"|[@#$]\w+"
    r"|(?:[:;=8xX][\-o']?[()\[\]dDpP/\\|*3]+|<3+|[()\[\]][\-o']?[:;=])(?![\w])"
    r"|\w+(?:['’]\w+)*"
    r"|[!?]+"
    r"|[^\w\s]",
    re.UNICODE,
)
_ELONGATED = re.compile(r"([^\W\d_])\1{2,}")
_NEGATIONS = frozenset({
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot", "without",
    "ne", "pas", "jamais", "rien", "aucun", "aucune", "personne", "sans", "ni",
    "don't", "isn't", "wasn't", "aren't", "doesn't", "didn't", "won't", "can't",
    "couldn't", "shouldn't", "wouldn't", "haven't", "hasn't", "ain't",
})
# Punctuation that closes a negation scope.
_SCOPE_END = frozenset({".", ",", ";", ":", "!", "?", "mais", "but", "car", "because"})
_NEGATION_SPAN = 3
_POSITIVE_EMOTICON = re.compile(r"^(?:[:;=8xX][\-o']?[)\]dDpP3*]+|<3+|[(\[][\-o']?[:;=])$")
_NEGATIVE_EMOTICON = re.compile(r"^(?:[:;=8][\-o']?[(\[/\\|]+|[)\]][\-o']?[:;=])$")
# Idioms whose words mislead: "pas mal" is praise, "pas terrible" is criticism (the
# negation flip would get both wrong). Merged into one token, scored by the lexicon.
_IDIOMS = {("pas", "mal"): "pas_mal", ("pas", "terrible"): "pas_terrible",
           ("pas", "top"): "pas_top", ("not", "great"): "not_great"}
# Apostrophe contractions: "n't" belongs to negation, French elisions ("l'", "qu'") are
# dropped so that "l'écologie" and "écologie" share features.
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """Lower-cased tokens of `text` with URLs as "<url>", handles as "<user>", French
    elisions removed and letters repeated 3+ times cut to two ("soooo" → "soo"). Cached
    (a batch is tokenized once for language detection and once more for sentiment).
    Idioms ("pas mal") come out as one token ("pas_mal")."""
    out: list[str] = []
    for raw in _TOKEN.findall(_ELONGATED.sub(r"\1\1", text)):
        first = raw[0]
        if first == "h" and raw.startswith(("http://", "https://")) or raw.startswith("www."):
            out.append("<url>")
        elif first == "@":
            out.append("<user>")
        else:
            word = raw.lower()
            if "'" in word or "’" in word:
                word = _ELISION.sub("", word.replace("’", "'"))
            if out and (out[-1], word) in _IDIOMS:
                out[-1] = _IDIOMS[out[-1], word]
                continue
            out.append(word)
    return tuple(out)


@lru_cache(maxsize=65536)
def _word_features(word: str, negated: bool) -> tuple[str, ...]:
    """Unigram plus prefix/suffix character n-grams of a word: they carry French/English
    inflection ("-able", "-ment", "magnifi-") that the small training sets cannot show in
    every form. Cached: tweets repeat their vocabulary."""
    unigram = ("w:~" if negated else "w:") + word
    if len(word) < 5 or not word.isalpha():
        return (unigram,)
    return (unigram, "p:" + word[:4], "s:" + word[-4:], "s3:" + word[-3:])


def _thermometer(name: str, value: float) -> list[str]:
    """A lexicon sum as binary steps (> 0, > 1, > 2): keeps every feature binary, so
    scoring is a sum of looked-up weights."""
    return [f"{name}>{step}" for step in (0, 1, 2) if value > step]


def extract(text: str, lang: str) -> set[str]:
    """Names of the (binary) features of one post. `lang` ("fr", "en") selects the
    lexicon; word features are naturally language-specific, shared features (lexicon,
    emoji, punctuation, shape) are learnt across both languages."""
    feats = {"bias:" + lang}
    add = feats.add
    polarity = word_polarity(lang)
    negated = 0
    previous = "<s>"
    positive = negative = 0.0
    n_words = 0
    for token in tokens(text):
        first = token[0]
        if first in "!?" or token in _SCOPE_END:
            negated = 0
            if first == "!":
                add("punct:!" if len(token) == 1 else "punct:!!")
            elif first == "?":
                add("punct:?")
            previous = token
            continue
        if len(token) == 1 and not token.isalnum():
            score = emoji_polarity(token)
            if score:
                add("emo:" + token)
                if score > 0:
                    positive += score
                else:
                    negative -= score
            continue
        if first in ":;=<()[]8xX" and not token.isalnum():
            if _POSITIVE_EMOTICON.match(token):
                add("emoticon:+")
                positive += 2.0
            elif _NEGATIVE_EMOTICON.match(token):
                add("emoticon:-")
                negative += 2.0
            continue
        n_words += 1
        feats.update(_word_features(token, negated > 0))
        add("b:" + previous + "_" + token)
        value = polarity.get(token)
        if value is not None:
            if negated:
                value = -value
            if value > 0:
                positive += value
            else:
                negative -= value
        if token in _NEGATIONS or token.endswith("n't"):
            negated = _NEGATION_SPAN
            add("neg:cue")
        elif negated:
            negated -= 1
        previous = token
    if positive:
        feats.update(_thermometer("lex:pos", positive))
    if negative:
        feats.update(_thermometer("lex:neg", negative))
    if positive and negative:
        add("lex:mixed")
    if not n_words:
        add("shape:empty")
    if _ELONGATED.search(text):
        add("shape:elongated")
    letters = sum(map(str.isalpha, text))
    if letters > 8 and sum(map(str.isupper, text)) > 0.6 * letters:
        add("shape:caps")
    return feats
