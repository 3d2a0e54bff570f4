"""Index storage per database: SQLite FTS5 (`sqlite.py`) or PostgreSQL tsvector + GIN
(`postgres.py`). Both store the tokens computed in Python, so they find the same things.

Every write goes through the connection of the current transaction: an index row is
written, changed or removed together with the content it mirrors, and rolls back with it.

Each kind has one table (`search_<kind>`) whose row id is the object's id: for posts,
articles and threads that id is time-ordered, so "latest" is a walk down the row ids and
`since:`/`until:` are id ranges, without touching the content tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.db import connection

from voliere.search.documents import Document, MatchQuery

# Tables created by the migration, one per kind; `kinds.py` refers to them by these names.
TABLES = ("post", "account", "community", "article", "thread")
# Possible index tokens of one phrase at most: a phrase of words whose stems differ in
# French and English is searched as each combination of forms.
MAX_PHRASE_FORMS = 16


@dataclass(frozen=True)
class Hit:
    object_id: int
    score: float  # higher is more relevant


class Backend(Protocol):
    def write(self, table: str, documents: list[Document]) -> None: ...

    def delete(self, table: str, object_ids: list[int]) -> None: ...

    def newest(
        self, table: str, query: MatchQuery, limit: int, *, ranked: bool = False
    ) -> list[Hit]:
        """The `limit` newest matches (highest ids first); with `ranked`, each with its
        relevance score (higher is better), else a score of 0."""
        ...

    def clear(self, table: str) -> None: ...

    def size_bytes(self) -> int:
        """Disk space the index tables use."""
        ...


def table_name(table: str) -> str:
    """The SQL name of a kind's table; only the migration's names pass, so the f-strings
    that build SQL around it never carry anything else."""
    if table not in TABLES:
        raise ValueError(f"unknown search table {table!r}")
    return f"search_{table}"


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from voliere.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from voliere.search.backends.sqlite import SqliteBackend

    return SqliteBackend()


def phrase_forms(phrase: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """Every token sequence a phrase may be stored as (capped at MAX_PHRASE_FORMS)."""
    forms: list[tuple[str, ...]] = [()]
    for alternatives in phrase:
        forms = [form + (token,) for form in forms for token in alternatives]
        forms = forms[:MAX_PHRASE_FORMS]
    return forms
