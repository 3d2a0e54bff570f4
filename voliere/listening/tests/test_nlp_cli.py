"""`voliere nlp classify` and `voliere nlp train-sentiment` through the real command
(`python -m voliere` in a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from voliere.listening.pipeline.enrich import enrich

REPO = Path(__file__).resolve().parents[3]


def voliere(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "voliere", *args], cwd=REPO, input=stdin,
                          capture_output=True, text=True, timeout=300, check=False)


RECORDS = [
    {"id": "1", "text": "Service client catastrophique, je suis furieux 😡"},
    {"id": 2, "text": "Love the new release, amazing work!"},
    {"id": "3", "text": "Der Kundendienst antwortet nie."},
]


def test_classify_file_to_file_uses_the_pipeline(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS),
                      encoding="utf-8")
    result = voliere("nlp", "classify", "--in", str(source), "--out", str(target))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    expected = enrich([r["text"] for r in RECORDS])
    assert rows == [{"id": r["id"], "lang": e.lang, "sentiment": e.sentiment, "score": e.score}
                    for r, e in zip(RECORDS, expected, strict=True)]
    assert [row["sentiment"] for row in rows] == ["negative", "positive", "neutral"]
    assert "classified: 3, rejected: 0" in result.stderr


def test_classify_reports_bad_lines_and_keeps_the_good_ones() -> None:
    lines = [json.dumps(RECORDS[0]), "{not json", "[1, 2]", '{"text": "no id"}',
             '{"id": "x", "text": 5}', "", json.dumps(RECORDS[1])]
    result = voliere("nlp", "classify", "--in", "-", "--out", "-", stdin="\n".join(lines))
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["1", 2]
    errors = result.stderr.splitlines()
    assert errors[0].startswith("line 2: not JSON")
    assert errors[1:4] == ["line 3: expected a JSON object", 'line 4: missing "id"',
                           'line 5: "text" missing or not a string']
    assert errors[-1] == "classified: 2, rejected: 4"


def test_classify_fails_when_nothing_can_be_read() -> None:
    result = voliere("nlp", "classify", "--in", "-", "--out", "-", stdin="oops\n{]\n")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "line 1: not JSON" in result.stderr
    assert "error: no record could be read" in result.stderr


def test_classify_missing_input_file_is_a_clear_error(tmp_path: Path) -> None:
    result = voliere("nlp", "classify", "--in", str(tmp_path / "nope.jsonl"), "--out", "-")
    assert result.returncode == 1
    assert "nope.jsonl: No such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_train_with_bad_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "fr").mkdir()
    result = voliere("nlp", "train-sentiment", "--data", str(tmp_path), "--out",
                     str(tmp_path / "model"))
    assert result.returncode == 1
    assert "fr/train_text.txt: file not found" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "model").exists()
