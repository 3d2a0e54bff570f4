"""`voliere listen import` run for real in subprocesses, on a migrated SQLite instance of
its own (like tests/test_cli.py): output contract, exit codes, and a SIGKILL in the middle
of an import followed by a resume that neither loses nor doubles a post."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "import"
TIMEOUT = 120


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k != "DJANGO_SETTINGS_MODULE" and not k.startswith("VOLIERE_")}
    env.update(VOLIERE_DATA=str(data), PYTHONUNBUFFERED="1")
    return env


def voliere(data: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "voliere", *args], env=_env(data),
                          capture_output=True, text=True, timeout=TIMEOUT,
                          stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> Path:
    """A migrated instance with the organisation "acme" and one topic."""
    data = tmp_path_factory.mktemp("listen-import")
    migrated = voliere(data, "manage", "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    script = (
        "from voliere.accounts.actions import create_organisation\n"
        "from voliere.listening.models import Topic\n"
        "acme = create_organisation(handle='acme', display_name='Acme')\n"
        "Topic.objects.create(organisation=acme, name='Acme', query='acme')\n"
    )
    created = voliere(data, "manage", "shell", "-c", script)
    assert created.returncode == 0, created.stderr
    return data


def mentions(data: Path, where: str = "1=1") -> int:
    with sqlite3.connect(data / "voliere.sqlite3") as db:
        return db.execute(f"SELECT count(*) FROM listening_mention WHERE {where}").fetchone()[0]  # noqa: S608


def test_import_twice_prints_the_summary_and_adds_nothing_the_second_time(instance, tmp_path):
    errors = tmp_path / "errors.txt"
    first = voliere(instance, "listen", "import", str(DATA / "tweets.js"), "--format",
                    "tweets-js", "--organisation", "acme", "--errors", str(errors),
                    "--topic-report")
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[-1] == "imported: 4 new, 1 duplicate, 2 rejected"
    assert "topic report:" in lines
    assert any(line.startswith("  Acme: 3 matches (") for line in lines)
    assert errors.read_text().splitlines() == [
        'record 6: missing "created_at"',
        'record 7: bad date in "created_at": "le 8 mars vers midi"']
    assert "progress: 7 records" in first.stderr  # not a terminal: plain progress lines

    second = voliere(instance, "listen", "import", str(DATA / "tweets.js"), "--format",
                     "tweets-js", "--organisation", "acme")
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[-1] == "imported: 0 new, 5 duplicate, 2 rejected"
    assert 'record 6: missing "created_at"' in second.stderr  # report on stderr by default
    assert mentions(instance, "network = 'x' AND external_id LIKE '176501234567890100%'") == 4


@pytest.mark.parametrize(("args", "message"), [
    (["missing.jsonl", "--format", "twarc2", "--organisation", "acme"],
     "missing.jsonl: no such file"),
    ([str(DATA / "fourcat.ndjson"), "--format", "4cat", "--organisation", "nobody"],
     "--organisation: no organisation with the handle 'nobody'"),
    ([str(DATA / "mentions.csv"), "--format", "csv", "--organisation", "acme",
      "--map", "id=tweet_id,colour=red"], "--map: unknown field 'colour'"),
    ([str(DATA / "mentions.csv"), "--format", "csv", "--organisation", "acme",
      "--map", "id=tweet_id,text=body,published_at=date"], "--map: no column 'body'"),
    ([str(DATA / "fourcat.ndjson"), "--format", "4cat", "--organisation", "acme",
      "--map", "id=id"], "--map applies to --format csv only"),
    ([str(DATA / "fourcat.ndjson"), "--format", "tweets-js", "--organisation", "acme"],
     "does not start with window.YTD"),
])
def test_bad_arguments_exit_2_with_a_message(instance, args, message):
    result = voliere(instance, "listen", "import", *args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "imported:" not in result.stdout


def test_sigkill_in_the_middle_then_resume_loses_and_doubles_nothing(instance, tmp_path):
    total = 30_000
    big = tmp_path / "flat.jsonl"
    with big.open("w") as out:
        for n in range(total):
            out.write(json.dumps({
                "id": str(5_000_000 + n), "created_at": f"2024-02-{1 + n % 28:02d}T10:00:00Z",
                "text": f"Acme post number {n}, {'great' if n % 2 else 'awful'} product",
                "author": {"username": f"user{n % 100}"}}) + "\n")
    command = [sys.executable, "-m", "voliere", "listen", "import", str(big), "--format",
               "twarc2", "--organisation", "acme", "--source", "big"]
    process = subprocess.Popen(command, env=_env(instance), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + TIMEOUT
    try:
        for line in process.stderr:
            if line.startswith("progress:"):
                break
            assert time.monotonic() < deadline
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    stored = mentions(instance, "external_id LIKE '5______'")
    with sqlite3.connect(instance / "voliere.sqlite3") as db:
        done, finished = db.execute(
            "SELECT records_done, finished_at FROM listening_importrun r JOIN listening_source s"
            " ON s.id = r.source_id WHERE s.name = 'big'").fetchone()
    assert finished is None and 0 < done < total
    assert stored == done  # each batch's rows and its progress were committed together

    resumed = voliere(instance, *command[3:])
    assert resumed.returncode == 0, resumed.stderr
    assert f"resumed after {done:,} records" in resumed.stderr
    assert resumed.stdout.splitlines()[-1] == f"imported: {total} new, 0 duplicate, 0 rejected"
    assert mentions(instance, "external_id LIKE '5______'") == total
    with sqlite3.connect(instance / "voliere.sqlite3") as db:
        matched = db.execute("SELECT count(*) FROM listening_topicmatch").fetchone()[0]
        counted = db.execute("SELECT sum(count) FROM listening_topichourstat").fetchone()[0]
    assert matched == counted  # hour counters agree with the matches: nothing counted twice
