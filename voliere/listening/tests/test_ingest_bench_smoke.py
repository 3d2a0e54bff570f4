"""The listening benchmark still runs end to end, on 300 posts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the smoke run uses its own SQLite")
def test_bench_listening_runs_on_a_few_posts(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOLIERE_", "DJANGO_"))}
    completed = subprocess.run(  # noqa: S603 — our own module, fixed arguments
        [sys.executable, "-m", "bench.listening", "--data", str(tmp_path), "--posts", "300"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    out = completed.stdout
    assert "50 topics" in out
    assert "ingested 300 posts (" in out and "posts/s end to end" in out
    assert "| match saving + hour counters |" in out and "| enrichment |" in out
