"""Training is reproducible and writes its metrics: a small corpus written here (so the
test needs no external data), trained twice through the real command."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from voliere.listening.pipeline.sentiment import LinearModel
from voliere.listening.pipeline.training import METRICS_END, METRICS_START

pytest.importorskip("sklearn", reason="training needs the `train` extra (scikit-learn)")

REPO = Path(__file__).resolve().parents[3]
WORDS = {
    # Labels 0, 1, 2: negative, neutral, positive (XLM-T's order).
    "fr": (["nul", "honte", "catastrophe", "horrible", "déçu"],
           ["annonce", "réunion", "demain", "rapport", "horaire"],
           ["génial", "bravo", "merci", "excellent", "parfait"]),
    "en": (["awful", "hate", "disaster", "horrible", "disappointed"],
           ["meeting", "announced", "tomorrow", "report", "schedule"],
           ["great", "love", "thanks", "excellent", "perfect"]),
}
FILLER = {"fr": "le service de la ville", "en": "the service of the city"}


def write_corpus(folder: Path) -> None:
    rng = random.Random(7)
    for lang, classes in WORDS.items():
        for split, size in (("train", 60), ("val", 15)):
            texts, labels = [], []
            for index in range(size):
                label = index % 3
                texts.append(f"{FILLER[lang]} {rng.choice(classes[label])} "
                             f"{rng.choice(classes[rng.randrange(3)])} {index}")
                labels.append(str(label))
            (folder / lang).mkdir(parents=True, exist_ok=True)
            (folder / lang / f"{split}_text.txt").write_text("\n".join(texts), encoding="utf-8")
            (folder / lang / f"{split}_labels.txt").write_text("\n".join(labels))


def train(data: Path, out: Path, docs: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "voliere", "nlp", "train-sentiment",
                           "--data", str(data), "--out", str(out), "--docs", str(docs)],
                          cwd=REPO, capture_output=True, text=True, timeout=600, check=False)


def test_same_data_and_seed_give_the_same_model_and_metrics_go_into_the_docs(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_corpus(data)
    docs = tmp_path / "nlp.md"
    docs.write_text(f"# NLP\n\nBefore.\n\n{METRICS_START}\nold figures\n{METRICS_END}\n\n"
                    "After.\n", encoding="utf-8")
    first = train(data, tmp_path / "a", docs)
    assert first.returncode == 0, first.stderr
    second = train(data, tmp_path / "b", tmp_path / "other.md")
    assert second.returncode == 0, second.stderr
    model_a = (tmp_path / "a" / "sentiment.json.gz").read_bytes()
    assert model_a == (tmp_path / "b" / "sentiment.json.gz").read_bytes()

    payload = json.loads(gzip.decompress(model_a))
    assert payload["labels"] == ["negative", "neutral", "positive"]
    model = LinearModel.load(tmp_path / "a" / "sentiment.json.gz")
    verdicts = model.classify(["quel horrible désastre, honte", "what a great day, thanks"],
                              ["fr", "en"])
    assert [v.sentiment for v in verdicts] == ["negative", "positive"]

    text = docs.read_text(encoding="utf-8")
    assert "old figures" not in text
    assert text.startswith("# NLP\n\nBefore.") and text.endswith("After.\n")
    assert "| fr |" in text and "| en |" in text and "Confusion (fr" in text
    assert "macro-F1" in first.stdout
