"""Cross-app test set-up: the database lanes, the live ASGI server and the browser.

- Lanes: the suite runs on SQLite by default and on PostgreSQL when ``VOLIERE_DATABASE_URL``
  is a ``postgres://`` URL (``scripts/test.sh`` runs both). Tests marked ``postgres`` are
  skipped, with the reason shown, on any other database.
- SQLite test database on disk: the live server runs in another process, which cannot open
  Django's in-memory test database, so `pytest_configure` points the test database at a file
  in a temporary directory (``VOLIERE_TEST_SQLITE_NAME``; xdist workers inherit it and add
  their own suffix).
- `asgi_server`: uvicorn serving ``voliere.config.asgi:application`` (see `tests.live_server`).
- `browser`: Debian's Chromium driven by Playwright; the pip package's own browser download
  is never used.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live_server import LiveServer, database_url, start_live_server

CHROMIUM = Path(os.environ.get("VOLIERE_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium tries to reach Google's services and
# fails slowly on a machine without Internet access.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS_DIR = Path(__file__).resolve().parent.parent / "test-results"

_created_sqlite_dir: Path | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Put the SQLite test database in a file the live server's process can open.

    Django's settings are already loaded when this runs (pytest-django loads them first), so
    the environment variable alone would come too late for this process: the setting is
    also changed in place, before any test database exists.
    """
    global _created_sqlite_dir
    if not os.environ.get("VOLIERE_TEST_SQLITE_NAME"):
        _created_sqlite_dir = Path(tempfile.mkdtemp(prefix="voliere-test-db-"))
        os.environ["VOLIERE_TEST_SQLITE_NAME"] = str(_created_sqlite_dir / "test.sqlite3")
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        test = database.setdefault("TEST", {})
        if not test.get("NAME"):
            test["NAME"] = os.environ["VOLIERE_TEST_SQLITE_NAME"]


def pytest_unconfigure(config: pytest.Config) -> None:
    if _created_sqlite_dir is not None:
        shutil.rmtree(_created_sqlite_dir, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip, with the reason, what this lane cannot run (never a silent pass)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        needs_postgres = pytest.mark.skip(
            reason=f"needs PostgreSQL; this lane runs on {connection.vendor} "
            "(scripts/test.sh runs the PostgreSQL lane)"
        )
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(needs_postgres)
    # On CI a missing Chromium is a failure (scripts/test.sh installs it), not a skip.
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        no_browser = pytest.mark.skip(reason=f"{CHROMIUM} not found: apt-get install chromium")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(no_browser)


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, tmp_path_factory) -> Iterator[LiveServer]:
    """One uvicorn process per test session (per xdist worker) on the test database.

    Tests using it must be ``@pytest.mark.django_db(transaction=True)``: the server only sees
    committed rows, and transactional tests empty the tables after themselves.
    """
    from django.db import connection

    data_dir = tmp_path_factory.mktemp("live-server")
    server = start_live_server(
        db_url=database_url(connection.settings_dict),
        data_dir=data_dir,
        log_path=data_dir / "uvicorn.log",
    )
    yield server
    server.stop()


@pytest.fixture
def browser(asgi_server: LiveServer) -> Iterator[object]:
    """A headless Chromium (Playwright sync API), closed before the database is flushed.

    Playwright's sync API keeps an event loop on this thread while it is open, so the test
    must not use Django's ORM until the browser is closed.
    """
    from playwright.sync_api import sync_playwright

    RESULTS_DIR.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
