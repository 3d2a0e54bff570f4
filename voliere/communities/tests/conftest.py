"""The live server fixture and its hooks live in `tests/conftest.py`; imported here so
these tests also run alone (`pytest voliere/communities`). The hooks are idempotent."""

from tests.conftest import (  # noqa: F401 — fixtures and hooks, re-exported for pytest
    asgi_server,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_unconfigure,
)
