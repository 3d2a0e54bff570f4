"""SQLite: one FTS5 table per kind, `search_<kind>(title, body, meta)`, rowid = object id.

The columns hold the normalised tokens separated by spaces (FTS5's `unicode61` tokenizer
splits them back exactly). A query is written in FTS5 syntax from index tokens only, each
one double-quoted, so nothing a person typed is ever interpreted by FTS5. Relevance is
BM25 computed over the ranked window (`voliere.search.ranking`, title ×10, meta ignored):
FTS5's own `bm25()` counts every document holding each word on every call.
"""

from __future__ import annotations

from django.db import connection

from voliere.search.backends import Hit, phrase_forms, table_name
from voliere.search.documents import Document, MatchQuery, PhraseTokens
from voliere.search.ranking import bm25

_TEXT = "{title body}"


def _phrase(phrase: PhraseTokens) -> str:
    forms = " OR ".join('"' + " ".join(form) + '"' for form in phrase_forms(phrase))
    return f"{_TEXT} : ({forms})"


def compile_match(query: MatchQuery) -> str:
    """The FTS5 expression of `query` (which must require at least one phrase or token)."""
    required = [_phrase(p) for p in query.required]
    required += [f'meta : "{token}"' for token in query.meta]
    expression = " AND ".join(f"({part})" for part in required)
    if query.excluded:
        expression = f"({expression}) NOT ({' OR '.join(_phrase(p) for p in query.excluded)})"
    return expression


class SqliteBackend:
    def write(self, table: str, documents: list[Document]) -> None:
        name = table_name(table)
        if not documents:
            return
        self.delete(table, [d.object_id for d in documents])
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {name} (rowid, title, body, meta) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [
                    (d.object_id, " ".join(d.title), " ".join(d.body), " ".join(d.meta))
                    for d in documents
                ],
            )

    def delete(self, table: str, object_ids: list[int]) -> None:
        name = table_name(table)
        if not object_ids:
            return
        with connection.cursor() as cursor:
            for start in range(0, len(object_ids), 500):
                chunk = object_ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {name} WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def newest(
        self, table: str, query: MatchQuery, limit: int, *, ranked: bool = False
    ) -> list[Hit]:
        name = table_name(table)
        columns = "rowid, title, body" if ranked else "rowid"
        sql = f"SELECT {columns} FROM {name} WHERE {name} MATCH %s"  # noqa: S608
        params: list[object] = [compile_match(query)]
        if query.min_id is not None:
            sql += " AND rowid > %s"
            params.append(query.min_id)
        if query.max_id is not None:
            sql += " AND rowid < %s"
            params.append(query.max_id)
        sql += " ORDER BY rowid DESC LIMIT %s"
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not ranked:
            return [Hit(row[0], 0.0) for row in rows]
        terms = {token for phrase in query.required for forms in phrase for token in forms}
        scores = bm25([(title, body) for _id, title, body in rows], terms)
        return [Hit(row[0], score) for row, score in zip(rows, scores, strict=True)]

    def clear(self, table: str) -> None:
        name = table_name(table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {name}")  # noqa: S608

    def optimize(self, table: str) -> None:
        """Merge the index's segments (after a bulk reindex): fewer b-trees to read."""
        name = table_name(table)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {name}({name}) VALUES ('optimize')")  # noqa: S608

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            try:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search%%'")
            except Exception:  # noqa: BLE001 — dbstat is an optional SQLite module
                return -1
            return int(cursor.fetchone()[0] or 0)
