"""Database configuration: SQLite in the data directory by default, PostgreSQL on demand."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from voliere.config.env import env_int

# WAL lets readers work while the task worker writes; IMMEDIATE transactions take the
# write lock up front so two writers queue on busy_timeout instead of failing mid-way.
SQLITE_INIT = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA foreign_keys=ON;"
    "PRAGMA temp_store=MEMORY;"
    "PRAGMA mmap_size=268435456;"
    # Each connection has its own page cache; pages are shared through mmap and the OS.
    "PRAGMA cache_size=-8192;"
)


def sqlite_database(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "init_command": SQLITE_INIT,
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        "CONN_MAX_AGE": None,
        "TEST": {"NAME": os.environ.get("VOLIERE_TEST_SQLITE_NAME") or None},
    }


def database_from_env(data: Path) -> dict[str, Any]:
    """``VOLIERE_DATABASE_URL`` (``sqlite:///path`` or ``postgres://…``).

    Empty: SQLite in ``DATA/voliere.sqlite3``.
    """
    url = os.environ.get("VOLIERE_DATABASE_URL", "").strip()
    if not url:
        return sqlite_database(data / "voliere.sqlite3")
    if url.startswith("sqlite:"):
        parsed = dj_database_url.parse(url)
        return sqlite_database(Path(parsed["NAME"]))
    if url.startswith(("postgres://", "postgresql://")):
        # Under ASGI each request runs its sync code in its own thread, so persistent
        # per-thread connections (CONN_MAX_AGE) never get reused: a pool does.
        config = dj_database_url.parse(url, conn_max_age=0)
        config["ENGINE"] = "django.db.backends.postgresql"
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": env_int("VOLIERE_DB_POOL_SIZE", 10, minimum=1),
            "timeout": 20,
        }
        return config
    raise ImproperlyConfigured(
        f"VOLIERE_DATABASE_URL={url!r}: expected sqlite:///PATH or postgres://USER:PASS@HOST/DB"
    )
