"""`voliere nlp train-sentiment` and `voliere nlp classify` (argparse in voliere/cli.py).

Neither needs Django: the pipeline is pure functions.

`classify` reads JSONL `{"id", "text"}` records in batches of `BATCH` and writes
`{"id", "lang", "sentiment", "score"}` in the same order, through `enrich` (the
ingestion's own code path). A bad line is reported on stderr as `line N: <what is
wrong>` and skipped; the exit status is 0 when at least one record was classified or
the input was empty, 1 when there were lines but none could be read (so a wrong file is
noticed by scripts, while one bad line in a million does not lose the rest).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from voliere.core.exceptions import InvalidInput
from voliere.listening.pipeline.enrich import enrich
from voliere.server.errors import CommandFailed

BATCH = 512
REPO = Path(__file__).resolve().parents[3]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "sentiment"


def nlp_command(options: argparse.Namespace) -> int:
    if options.nlp_command == "train-sentiment":
        return train_command(data=options.data, out=options.out, docs=options.docs)
    return classify_command(options.input, options.output)


def train_command(*, data: Path | None, out: Path | None, docs: Path | None) -> int:
    from voliere.listening.pipeline import training
    from voliere.listening.pipeline.sentiment import DEFAULT_MODEL_PATH

    if data is None:
        if not DEFAULT_DATA.is_dir():
            raise CommandFailed(f"no --data given and {DEFAULT_DATA} does not exist: point "
                                "--data at a folder with fr/ and en/ labelled tweets", status=2)
        data = DEFAULT_DATA
    target = (out / "sentiment.json.gz") if out is not None else DEFAULT_MODEL_PATH
    try:
        corpus = training.load_corpus(data)
        result = training.train(corpus)
    except InvalidInput as error:
        raise CommandFailed(error.message) from None
    result.model.save(target, metadata={"c": result.c,
                                        "cv_macro_f1": {str(c): s for c, s in result.cv.items()}})
    report = training.metrics_markdown(result, corpus)
    print(report)
    print(f"model written to {target}")
    if docs is not None:
        training.write_metrics(docs, report)
        print(f"metrics written to {docs}")
    return 0


@contextlib.contextmanager
def _open(path: Path, mode: str) -> Iterator[IO[str]]:
    if str(path) == "-":
        stream = sys.stdin if mode == "r" else sys.stdout
        yield stream
        return
    try:
        handle = open(path, mode, encoding="utf-8")  # noqa: SIM115 — closed below
    except OSError as error:
        raise CommandFailed(f"{path}: {error.strerror}") from None
    with handle:
        yield handle


def _parse(line: str) -> tuple[object, str]:
    """(id, text) of one JSONL line; ValueError says what is wrong."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    if "id" not in record:
        raise ValueError('missing "id"')
    if not isinstance(record["id"], str | int):
        raise ValueError('"id" must be a string or a number')
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError('"text" missing or not a string')
    return record["id"], text


def _flush(batch: list[tuple[object, str]], out: IO[str]) -> None:
    results = enrich([text for _, text in batch])
    for (record_id, _), result in zip(batch, results, strict=True):
        out.write(json.dumps({"id": record_id, "lang": result.lang,
                              "sentiment": result.sentiment, "score": result.score},
                             ensure_ascii=False) + "\n")
    batch.clear()


def classify_command(source: Path, target: Path) -> int:
    good = bad = 0
    batch: list[tuple[object, str]] = []
    with _open(source, "r") as lines, _open(target, "w") as out:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                batch.append(_parse(line))
            except ValueError as error:
                bad += 1
                print(f"line {number}: {error}", file=sys.stderr)
                continue
            good += 1
            if len(batch) >= BATCH:
                _flush(batch, out)
        if batch:
            _flush(batch, out)
    print(f"classified: {good}, rejected: {bad}", file=sys.stderr)
    if bad and not good:
        raise CommandFailed("no record could be read")
    return 0
