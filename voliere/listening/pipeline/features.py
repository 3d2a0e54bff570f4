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
_ELONGATED = re.compile(r"(\w)\1{2,}")
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
# Apostrophe contractions: "n't" belongs to negation, French elisions ("l'", "qu'") are
# dropped so that "l'écologie" and "écologie" share features.
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)


def tokens(text: str) -> list[str]:
    """Lower-cased tokens of `text` with URLs as "<url>", handles as "<user>" and French
    elisions removed. Also the tokens the language cascade counts (`language.py`)."""
    out: list[str] = []
    for raw in _TOKEN.findall(text):
        first = raw[0]
        if first == "h" and raw.startswith(("http://", "https://")) or raw.startswith("www."):
            out.append("<url>")
        elif first == "@":
            out.append("<user>")
        else:
            word = raw.lower()
            if "'" in word or "’" in word:
                word = _ELISION.sub("", word.replace("’", "'"))
            out.append(word)
    return out


@lru_cache(maxsize=65536)
def _edges(word: str) -> tuple[str, ...]:
    """Prefix and suffix character n-grams of a word: they carry French/English inflection
    ("-able", "-ment", "magnifi-") that the small training sets cannot show in every form.
    Cached: tweets repeat their vocabulary."""
    if len(word) < 5 or not word.isalpha():
        return ()
    return ("p:" + word[:4], "s:" + word[-4:], "s3:" + word[-3:])


def extract(text: str, lang: str) -> dict[str, float]:
    """Feature name → value for one post. `lang` ("fr", "en") selects the lexicon and
    prefixes nothing: word features are naturally language-specific, shared features
    (lexicon, emoji, punctuation) are learnt across both languages."""
    feats: dict[str, float] = {"bias:" + lang: 1.0}
    words = tokens(text)
    polarity = word_polarity(lang)
    negated = 0
    previous = "<s>"
    positive = negative = 0.0
    n_words = 0
    for token in words:
        if token in _SCOPE_END or token[0] in "!?":
            negated = 0
            if token[0] == "!":
                feats["punct:!"] = 1.0
                if len(token) > 1:
                    feats["punct:!!"] = 1.0
            elif token[0] == "?":
                feats["punct:?"] = 1.0
            previous = token
            continue
        if len(token) == 1 and not token.isalnum():
            score = emoji_polarity(token)
            if score:
                feats["emo:" + token] = 1.0
                if score > 0:
                    positive += score
                else:
                    negative -= score
            continue
        if token[0] in ":;=<()[]8xX" and not token.isalnum():
            if _POSITIVE_EMOTICON.match(token):
                feats["emoticon:+"] = 1.0
                positive += 2.0
            elif _NEGATIVE_EMOTICON.match(token):
                feats["emoticon:-"] = 1.0
                negative += 2.0
            continue
        n_words += 1
        if _ELONGATED.search(token):
            feats["shape:elongated"] = 1.0
            token = _ELONGATED.sub(r"\1\1", token)
        mark = "~" if negated else ""
        feats["w:" + mark + token] = 1.0
        feats["b:" + previous + "_" + token] = 1.0
        for edge in _edges(token):
            feats[edge] = 1.0
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
            feats["neg:cue"] = 1.0
        elif negated:
            negated -= 1
        previous = token
    if positive:
        feats["lex:pos"] = min(positive, 4.0) / 2
    if negative:
        feats["lex:neg"] = min(negative, 4.0) / 2
    if positive and negative:
        feats["lex:mixed"] = 1.0
    if not n_words:
        feats["shape:empty"] = 1.0
    letters = sum(1 for c in text if c.isalpha())
    if letters > 8 and sum(1 for c in text if c.isupper()) > 0.6 * letters:
        feats["shape:caps"] = 1.0
    return feats
