"""Training and evaluation of the shipped sentiment model (`voliere nlp train-sentiment`).

Data layout (XLM-T's, see docs/nlp.md): `<data>/{fr,en}/{train,val}_{text,labels}.txt`,
one tweet / one label (0 negative, 1 neutral, 2 positive) per line; optional
`<data>/en/tweeteval/val_{text,labels}.txt`, whose tweets are added to the English
training set after removing every text that is in the English validation (or train) set.

The regularisation strength is chosen by 5-fold cross-validation on the TRAINING data only
(mean of the French and English macro-F1); the validation splits are only read to report.
Training needs scikit-learn (extra `train`); evaluation is plain Python, so a test can
check the shipped model without it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from voliere.core.exceptions import InvalidInput
from voliere.listening.pipeline.features import extract
from voliere.listening.pipeline.sentiment import LABELS, Head, LinearModel

LANGS = ("fr", "en")
C_GRID = (0.03, 0.1, 0.3)
MODEL_NAME = "voliere-linear-1"
METRICS_START = "<!-- metrics:start -->"
METRICS_END = "<!-- metrics:end -->"


@dataclass
class Split:
    texts: list[str]
    labels: list[int]


@dataclass
class Corpus:
    train: dict[str, Split]
    val: dict[str, Split]
    extra_en: int = 0  # TweetEval tweets added to the English training set


@dataclass
class LangMetrics:
    macro_f1: float
    accuracy: float
    f1: dict[str, float]
    confusion: list[list[int]]  # rows: gold, columns: predicted, in LABELS order
    n: int


@dataclass
class TrainResult:
    model: LinearModel
    c: dict[str, float]  # regularisation chosen per language
    cv: dict[float, dict[str, float]]  # C → language → cross-validated macro-F1
    metrics: dict[str, LangMetrics] = field(default_factory=dict)


def _lines(path: Path) -> list[str]:
    """The XLM-T files have no final newline, TweetEval's have one: drop only that."""
    if not path.is_file():
        raise InvalidInput(f"{path}: file not found", field="data")
    text = path.read_text(encoding="utf-8")
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")


def load_split(folder: Path, split: str) -> Split:
    texts = _lines(folder / f"{split}_text.txt")
    raw = _lines(folder / f"{split}_labels.txt")
    if len(texts) != len(raw):
        raise InvalidInput(f"{folder}: {len(texts)} texts but {len(raw)} labels in {split}",
                           field="data")
    labels = []
    for number, value in enumerate(raw, start=1):
        if value.strip() not in ("0", "1", "2"):
            raise InvalidInput(f"{folder / f'{split}_labels.txt'}: line {number}: expected "
                               f"0, 1 or 2, got {value!r}", field="data")
        labels.append(int(value))
    return Split(texts, labels)


def load_corpus(data: Path) -> Corpus:
    train = {lang: load_split(data / lang, "train") for lang in LANGS}
    val = {lang: load_split(data / lang, "val") for lang in LANGS}
    corpus = Corpus(train, val)
    tweeteval = data / "en" / "tweeteval"
    if (tweeteval / "val_text.txt").is_file():
        extra = load_split(tweeteval, "val")
        seen = set(val["en"].texts) | set(train["en"].texts)
        keep = [(t, y) for t, y in zip(extra.texts, extra.labels, strict=True)
                if t not in seen]
        train["en"] = Split(train["en"].texts + [t for t, _ in keep],
                            train["en"].labels + [y for _, y in keep])
        corpus.extra_en = len(keep)
    return corpus


def subset(corpus: Corpus, size: int) -> Corpus:
    """The first `size` training tweets per language (for quick, reproducible tests)."""
    return Corpus({lang: Split(s.texts[:size], s.labels[:size])
                   for lang, s in corpus.train.items()}, corpus.val, 0)


def _features(splits: dict[str, Split]) -> tuple[list[dict[str, float]], list[int], list[str]]:
    rows, labels, langs = [], [], []
    for lang, split in splits.items():
        rows += [dict.fromkeys(extract(text, lang), 1.0) for text in split.texts]
        labels += split.labels
        langs += [lang] * len(split.labels)
    return rows, labels, langs


def _fit(rows: Sequence[dict[str, float]], labels: Sequence[int], c: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(rows)
    classifier = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
    classifier.fit(matrix, labels)
    return vectorizer, classifier


def _cross_validate(rows, labels, langs, *, c: float, seed: int) -> dict[str, float]:
    """Mean macro-F1 per language over 5 stratified folds of the training data."""
    from sklearn.model_selection import StratifiedKFold

    strata = [f"{lang}{label}" for lang, label in zip(langs, labels, strict=True)]
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    scores: dict[str, list[float]] = {lang: [] for lang in LANGS}
    for train_idx, test_idx in folds.split(rows, strata):
        vectorizer, classifier = _fit([rows[i] for i in train_idx],
                                      [labels[i] for i in train_idx], c)
        predicted = classifier.predict(vectorizer.transform([rows[i] for i in test_idx]))
        for lang in LANGS:
            pairs = [(labels[i], int(p)) for i, p in zip(test_idx, predicted, strict=True)
                     if langs[i] == lang]
            if pairs:
                scores[lang].append(_macro_f1(*zip(*pairs, strict=True)))
    return {lang: round(sum(s) / len(s), 4) for lang, s in scores.items() if s}


def _head(vectorizer, classifier) -> Head:
    order = [list(classifier.classes_).index(k) for k in range(3)]
    coef = classifier.coef_
    weights = {}
    for column, feature in enumerate(vectorizer.feature_names_):
        w = [float(coef[row, column]) for row in order]
        if max(w) - min(w) >= 1e-4:
            weights[feature] = w
    return Head.from_three([float(classifier.intercept_[row]) for row in order], weights)


def train(corpus: Corpus, *, seed: int = 0, c_grid: Sequence[float] = C_GRID) -> TrainResult:
    """Fit on both languages at once (shared lexicon/emoji/punctuation features learn
    from twice the data); each language's head uses the C that cross-validates best for
    it on the training data."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise InvalidInput("training needs scikit-learn: pip install 'voliere[train]'",
                           field="data") from None
    rows, labels, langs = _features(corpus.train)
    cv = {c: _cross_validate(rows, labels, langs, c=c, seed=seed) for c in c_grid}
    chosen = {lang: max(c_grid, key=lambda c, lang=lang: (cv[c].get(lang, 0.0), -c))
              for lang in LANGS}
    heads = {}
    for c in sorted(set(chosen.values())):
        head = _head(*_fit(rows, labels, c))
        heads.update({lang: head for lang in LANGS if chosen[lang] == c})
    model = LinearModel(name=MODEL_NAME, heads=heads)
    result = TrainResult(model=model, c=chosen, cv=cv)
    result.metrics = {lang: evaluate(model, corpus.val[lang], lang) for lang in LANGS}
    return result


def _macro_f1(gold: Sequence[int], predicted: Sequence[int]) -> float:
    return sum(_f1_per_class(gold, predicted)) / 3


def _f1_per_class(gold: Sequence[int], predicted: Sequence[int]) -> list[float]:
    out = []
    for k in range(3):
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == k and p == k)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != k and p == k)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == k and p != k)
        out.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return out


def evaluate(model: LinearModel, split: Split, lang: str) -> LangMetrics:
    """Macro-F1 over the three classes, per-class F1, accuracy and confusion matrix."""
    verdicts = model.classify(split.texts, [lang] * len(split.texts))
    predicted = [LABELS.index(v.sentiment) for v in verdicts]
    confusion = [[0, 0, 0] for _ in range(3)]
    for g, p in zip(split.labels, predicted, strict=True):
        confusion[g][p] += 1
    per_class = _f1_per_class(split.labels, predicted)
    return LangMetrics(
        macro_f1=round(sum(per_class) / 3, 4),
        accuracy=round(sum(confusion[k][k] for k in range(3)) / max(len(predicted), 1), 4),
        f1={label: round(value, 4) for label, value in zip(LABELS, per_class, strict=True)},
        confusion=confusion, n=len(predicted))


def metrics_markdown(result: TrainResult, corpus: Corpus) -> str:
    sizes = ", ".join(f"{lang} {len(head.weights):,}"
                      for lang, head in result.model.heads.items())
    lines = [f"Model `{result.model.name}` (features per head: {sizes}); C per language "
             "chosen by 5-fold cross-validation on the training data: "
             + ", ".join(f"{lang} C={c}" for lang, c in result.c.items()) + " (CV macro-F1: "
             + "; ".join(f"C={c}: " + ", ".join(f"{lang} {s}" for lang, s in by_lang.items())
                         for c, by_lang in result.cv.items()) + ").",
             f"Training tweets: fr {len(corpus.train['fr'].texts)}, en "
             f"{len(corpus.train['en'].texts)} (of which {corpus.extra_en} from TweetEval "
             "val, none of them in the en val set).", "",
             "| language | macro-F1 | accuracy | F1 negative | F1 neutral | F1 positive | n |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for lang, m in result.metrics.items():
        lines.append(f"| {lang} | {m.macro_f1:.3f} | {m.accuracy:.3f} | "
                     + " | ".join(f"{m.f1[k]:.3f}" for k in LABELS) + f" | {m.n} |")
    for lang, m in result.metrics.items():
        lines += ["", f"Confusion ({lang}, validation; rows gold, columns predicted):", "",
                  "| gold \\ predicted | negative | neutral | positive |",
                  "| --- | ---: | ---: | ---: |"]
        lines += [f"| {LABELS[g]} | " + " | ".join(str(x) for x in row) + " |"
                  for g, row in enumerate(m.confusion)]
    return "\n".join(lines)


def write_metrics(docs: Path, markdown: str) -> None:
    """Replace the text between the metrics markers of `docs` (appended if absent)."""
    text = docs.read_text(encoding="utf-8") if docs.exists() else ""
    block = f"{METRICS_START}\n{markdown}\n{METRICS_END}"
    pattern = re.compile(re.escape(METRICS_START) + ".*?" + re.escape(METRICS_END), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block + "\n"
    docs.write_text(text, encoding="utf-8")
