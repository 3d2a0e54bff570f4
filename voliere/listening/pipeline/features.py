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


_IDIOM_FIRST = frozenset(first for first, _ in _IDIOMS)
_IDIOM_SECOND = frozenset(second for _, second in _IDIOMS)


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """Lower-cased tokens of `text` with URLs as "<url>", handles as "<user>" and French
    elisions removed; idioms ("pas mal") come out as one token ("pas_mal"). Cached: a
    batch is tokenized once for language detection and used again for sentiment."""
    out: list[str] = []
    for word in _TOKEN.findall(text.lower()):
        first = word[0]
        if first == "h" and word.startswith(("http://", "https://")) or (
                first == "w" and word.startswith("www.")):
            out.append("<url>")
        elif first == "@":
            out.append("<user>")
        else:
            if "'" in word or "’" in word:
                word = _ELISION.sub("", word.replace("’", "'"))
            if word in _IDIOM_SECOND and out and out[-1] in _IDIOM_FIRST:
                pair = (out[-1], word)
                if pair in _IDIOMS:
                    out[-1] = _IDIOMS[pair]
                    continue
            out.append(word)
    return tuple(out)


_PUNCT, _SYMBOL, _WORD = 0, 1, 2


def _word_features(word: str, mark: str) -> tuple[str, ...]:
    """Unigram plus prefix/suffix character n-grams: they carry French/English inflection
    ("-able", "-ment", "magnifi-") that the small training sets cannot show in every
    form. (Adding a hashtag's bare word too lowered the cross-validated macro-F1.)"""
    if len(word) >= 5 and word.isalpha():
        return ("w:" + mark + word, "p:" + word[:4], "s:" + word[-4:], "s3:" + word[-3:])
    return ("w:" + mark + word,)


TokenInfo = tuple[int, tuple[str, ...], tuple[str, ...], float, bool, str]
_INFO: dict[str, dict[str, TokenInfo]] = {}
_INFO_LIMIT = 200_000  # entries per language before the cache starts afresh


def _token_info(token: str, lang: str) -> TokenInfo:
    """Everything about one token that does not depend on its neighbours, computed once
    per (token, language) — tweets repeat their vocabulary, so the per-post loop is
    mostly dictionary hits: (kind, features, features under negation, polarity, is a
    negation cue, the word as it appears in bigrams)."""
    cache = _INFO.setdefault(lang, {})
    info = cache.get(token)
    if info is None:
        if len(cache) >= _INFO_LIMIT:
            cache.clear()
        info = cache[token] = _describe(token, lang)
    return info


def _describe(token: str, lang: str) -> TokenInfo:
    first = token[0]
    if first in "!?" or token in _SCOPE_END:
        feats = {"!": ("punct:!",), "?": ("punct:?",)}.get(first, ())
        if first == "!" and len(token) > 1:
            feats = ("punct:!!",)
        return _PUNCT, feats, feats, 0.0, False, token
    if len(token) == 1 and not token.isalnum():
        score = emoji_polarity(token)
        feats = ("emo:" + token,) if score else ()
        return _SYMBOL, feats, feats, score, False, token
    if first in ":;=<()[]8x" and not token.isalnum():
        if _POSITIVE_EMOTICON.match(token):
            return _SYMBOL, ("emoticon:+",), ("emoticon:+",), 2.0, False, token
        if _NEGATIVE_EMOTICON.match(token):
            return _SYMBOL, ("emoticon:-",), ("emoticon:-",), -2.0, False, token
        return _SYMBOL, (), (), 0.0, False, token
    shape: tuple[str, ...] = ()
    if _ELONGATED.search(token):  # "soooo" → "soo", and the post is marked elongated
        token = _ELONGATED.sub(r"\1\1", token)
        shape = ("shape:elongated",)
    polarity = word_polarity(lang)
    value = polarity.get(token, polarity.get(token.lstrip("#"), 0.0))
    cue = token in _NEGATIONS or token.endswith("n't")
    extra = (("neg:cue",) if cue else ()) + shape
    return (_WORD, _word_features(token, "") + extra, _word_features(token, "~") + extra,
            value, cue, token)


def _thermometer(name: str, value: float) -> list[str]:
    """A lexicon sum as binary steps (> 0, > 1, > 2): keeps every feature binary, so
    scoring is a sum of looked-up weights."""
    return [f"{name}>{step}" for step in (0, 1, 2) if value > step]


def extract(text: str, lang: str) -> set[str]:
    """Names of the (binary) features of one post. `lang` ("fr", "en") selects the
    lexicon; word features are naturally language-specific, shared features (lexicon,
    emoji, punctuation, shape) are learnt across both languages. A word within
    `_NEGATION_SPAN` words after a negation cue (before punctuation or "but") gets the
    "~" mark and its lexicon polarity flipped."""
    feats = {"bias:" + lang}
    update = feats.update
    negated = 0
    previous = "<s>"
    positive = negative = 0.0
    n_words = 0
    for token in tokens(text):
        kind, plain, flipped, value, cue, word = _token_info(token, lang)
        if kind == _PUNCT:
            negated = 0
            update(plain)
            previous = token
            continue
        if kind == _SYMBOL:
            update(plain)
        else:
            n_words += 1
            if negated:
                update(flipped)
                value = -value
                negated -= 1
            else:
                update(plain)
            feats.add("b:" + previous + "_" + word)
            if cue:
                negated = _NEGATION_SPAN
            previous = word
        if value > 0:
            positive += value
        elif value < 0:
            negative -= value
    if positive:
        update(_thermometer("lex:pos", positive))
    if negative:
        update(_thermometer("lex:neg", negative))
    if positive and negative:
        feats.add("lex:mixed")
    if not n_words:
        feats.add("shape:empty")
    letters = sum(map(str.isalpha, text))
    if letters > 8 and sum(map(str.isupper, text)) > 0.6 * letters:
        feats.add("shape:caps")
    return feats
