"""Optional transformer sentiment backend (extra `transformers`): a Hugging Face
sequence-classification model in a LOCAL directory, e.g. a copy of
`cardiffnlp/twitter-xlm-roberta-base-sentiment`, selected with
`VOLIERE_SENTIMENT_MODEL=/path/to/model`. Nothing is ever downloaded: the directory is
opened with `local_files_only=True`.

Labels come from the model's own `id2label` ("negative"/"neutral"/"positive", or
"LABEL_0".. for models that kept the default names, read as XLM-T's order 0/1/2); a model
whose labels cannot be mapped onto the three classes is refused at load time. The model is
multilingual, so every language is analysed; texts go through in batches of `batch_size`
on the CPU, truncated to `max_length` tokens. At roughly 100× the cost of the shipped
linear model, it is for deployments that value accuracy over the 5,800 posts/s target.
"""

from __future__ import annotations

from pathlib import Path

from voliere.core.exceptions import InvalidInput
from voliere.listening.pipeline.sentiment import LABELS, Verdict

_ALIASES = {"neg": "negative", "negative": "negative", "label_0": "negative",
            "neu": "neutral", "neutral": "neutral", "label_1": "neutral",
            "pos": "positive", "positive": "positive", "label_2": "positive"}


def label_order(id2label: dict) -> list[str]:
    """Our label for each output index of the model; InvalidInput if they do not map
    one-to-one onto negative/neutral/positive."""
    mapped = [_ALIASES.get(str(id2label[index]).strip().lower(), "")
              for index in sorted(id2label, key=int)]
    if sorted(mapped) != sorted(LABELS):
        raise InvalidInput(f"the model's labels {list(id2label.values())} are not "
                           "negative/neutral/positive", field="VOLIERE_SENTIMENT_MODEL")
    return mapped


class TransformerBackend:
    def __init__(self, directory: Path, *, batch_size: int = 32, max_length: int = 128) -> None:
        if not directory.is_dir():
            raise InvalidInput(f"{directory}: no such model directory",
                               field="VOLIERE_SENTIMENT_MODEL")
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError:
            raise InvalidInput("the transformer backend needs the extra: pip install "
                               "'voliere[transformers]'", field="VOLIERE_SENTIMENT_MODEL") from None
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
        self.model = AutoModelForSequenceClassification.from_pretrained(
            directory, local_files_only=True)
        self.model.eval()
        self.labels = label_order(self.model.config.id2label)
        self.name = ("hf:" + directory.name)[:40]
        self.batch_size = batch_size
        self.max_length = max_length

    def classify(self, texts: list[str], langs: list[str]) -> list[Verdict]:
        out: list[Verdict] = []
        for start in range(0, len(texts), self.batch_size):
            chunk = texts[start:start + self.batch_size]
            encoded = self.tokenizer(chunk, padding=True, truncation=True,
                                     max_length=self.max_length, return_tensors="pt")
            with self._torch.inference_mode():
                probabilities = self.model(**encoded).logits.softmax(dim=-1)
            for row in probabilities.tolist():
                best = max(range(len(row)), key=row.__getitem__)
                out.append(Verdict(self.labels[best], round(float(row[best]), 4), self.name))
        return out
