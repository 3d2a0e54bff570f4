"""Media tests store attachments in a fresh directory each, so "nothing left on disk" can
be checked by listing it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import storages

from tests.conftest import (  # noqa: F401 — the live server fixture and its hooks, for pytest
    asgi_server,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_unconfigure,
)
from voliere.posts import cards


@pytest.fixture(autouse=True)
def attachments_dir(tmp_path, settings) -> Iterator[Path]:
    root = tmp_path / "attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    assert storages["attachments"].location == str(root)
    cards.BODIES.clear()
    yield root
    cards.BODIES.clear()


def stored_files(root: Path) -> list[str]:
    """Every file under the attachments directory, relative names."""
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
