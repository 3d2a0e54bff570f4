"""The optional transformer backend, on a tiny BERT this test builds and saves itself
(random weights, a 30-word vocabulary): nothing is downloaded. What is checked is the
plumbing — a local directory loads, labels map through `id2label`, batches work, values
are valid — not the quality of a random model."""

from __future__ import annotations

from pathlib import Path

import pytest

from voliere.core.exceptions import InvalidInput
from voliere.listening.pipeline import sentiment
from voliere.listening.pipeline.enrich import enrich

torch = pytest.importorskip("torch", reason="the `transformers` extra is not installed")
transformers = pytest.importorskip("transformers",
                                   reason="the `transformers` extra is not installed")

from voliere.listening.pipeline.transformer import TransformerBackend, label_order  # noqa: E402

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "service", "is", "great",
         "awful", "le", "est", "nul", "super", "!", "?", ".", ",", "i", "love", "hate", "it",
         "not", "bad", "good", "très", "bon", "merci", "##s", "##ly"]


def build_tiny_model(directory: Path, id2label: dict[int, str]) -> Path:
    torch.manual_seed(0)
    vocab = directory / "vocab.txt"
    directory.mkdir(parents=True, exist_ok=True)
    vocab.write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizer(vocab_file=str(vocab), do_lower_case=True)
    config = transformers.BertConfig(
        vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=64, num_labels=3,
        id2label=id2label, label2id={v: k for k, v in id2label.items()})
    model = transformers.BertForSequenceClassification(config)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


@pytest.fixture
def tiny_model(tmp_path: Path) -> Path:
    # XLM-T's order is negative/neutral/positive; this model lists them differently to
    # prove that the backend reads id2label instead of assuming an order.
    return build_tiny_model(tmp_path / "tiny", {0: "positive", 1: "negative", 2: "neutral"})


def test_backend_loads_a_local_directory_and_batches(tiny_model: Path) -> None:
    backend = TransformerBackend(tiny_model, batch_size=2)
    assert backend.labels == ["positive", "negative", "neutral"]
    texts = ["the service is great !", "le service est nul", "i hate it", "très bon , merci",
             "not bad"]
    verdicts = backend.classify(texts, ["en", "fr", "en", "fr", "en"])
    assert len(verdicts) == 5
    for verdict in verdicts:
        assert verdict.sentiment in sentiment.LABELS
        assert 1 / 3 <= verdict.score <= 1.0
        assert verdict.model == "hf:tiny"
    # Batching does not change results (padding is masked).
    one_by_one = [backend.classify([t], ["en"])[0] for t in texts]
    assert [v.sentiment for v in one_by_one] == [v.sentiment for v in verdicts]
    assert [v.score for v in one_by_one] == pytest.approx([v.score for v in verdicts],
                                                          abs=1e-3)


def test_label_mapping_agrees_with_the_model_logits(tiny_model: Path) -> None:
    backend = TransformerBackend(tiny_model)
    text = "i love it"
    encoded = backend.tokenizer([text], return_tensors="pt")
    with torch.inference_mode():
        logits = backend.model(**encoded).logits[0].tolist()
    best = max(range(3), key=logits.__getitem__)
    assert backend.classify([text], ["en"])[0].sentiment == backend.model.config.id2label[best]


def test_environment_variable_selects_the_backend_for_enrich(tiny_model: Path,
                                                             monkeypatch) -> None:
    monkeypatch.setenv("VOLIERE_SENTIMENT_MODEL", str(tiny_model))
    [german] = enrich(["Der Kundendienst antwortet nie."])
    assert german.model == "hf:tiny"  # multilingual: every language is analysed
    assert german.sentiment in sentiment.LABELS
    monkeypatch.delenv("VOLIERE_SENTIMENT_MODEL")
    assert enrich(["Der Kundendienst antwortet nie."])[0].model == ""


def test_default_label_names_follow_xlm_t_order() -> None:
    assert label_order({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}) == ["negative", "neutral",
                                                                       "positive"]


def test_unmappable_labels_and_missing_directory_are_refused(tmp_path: Path) -> None:
    odd = build_tiny_model(tmp_path / "odd", {0: "joy", 1: "anger", 2: "fear"})
    with pytest.raises(InvalidInput, match="not negative/neutral/positive"):
        TransformerBackend(odd)
    with pytest.raises(InvalidInput, match="no such model directory"):
        TransformerBackend(tmp_path / "missing")
