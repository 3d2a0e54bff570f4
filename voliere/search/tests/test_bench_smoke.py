"""The search benchmark still runs, on a tiny synthetic instance (2,000 posts)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the smoke run uses its own SQLite")
def test_bench_search_runs_on_a_tiny_instance(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOLIERE_", "DJANGO_"))}
    completed = subprocess.run(  # noqa: S603 — our own module, fixed arguments
        [
            sys.executable,
            "-m",
            "bench.search",
            "--data",
            str(tmp_path),
            "--accounts",
            "300",
            "--posts",
            "2000",
            "--active-users",
            "8",
            "--queries",
            "2",
            "--pages",
            "1",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    out = completed.stdout
    assert "indexed 2,000 posts" in out
    assert "| 3 words from:<most active author> | latest |" in out
    assert "| whole page, tab=all | relevance |" in out
    assert "worst search p95" in out
