"""PostgreSQL: one table per kind, `search_<kind>(id bigint primary key, doc tsvector)`,
with a GIN index on `doc`.

The tsvector is written as a literal built from the Python tokens (`'token':1A,4 ...`),
not by `to_tsvector`, so no text-search configuration or `unaccent` dictionary changes
what is indexed and both databases agree. Title tokens carry weight A (ranked higher by
`ts_rank`), body tokens the default D; meta tokens are stored with a leading `@`, a
character no word token contains, so a searched word never matches a filter token.
"""

from __future__ import annotations

from django.db import connection

from voliere.search.backends import Hit, table_name
from voliere.search.documents import Document, MatchQuery, PhraseTokens

# tsvector positions stop at 16383; later words still count, at the last position.
MAX_POSITION = 16383


def tsvector_literal(document: Document) -> str:
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, tokens in (("A", document.title), ("", document.body)):
        for token in tokens:
            position = min(position + 1, MAX_POSITION)
            positions.setdefault(token, []).append(f"{position}{weight}")
        position = min(position + 1, MAX_POSITION)  # a phrase never spans title and body
    parts = [f"'{token}':{','.join(marks[:256])}" for token, marks in positions.items()]
    parts += [f"'@{token}'" for token in dict.fromkeys(document.meta)]
    return " ".join(parts)


def _phrase(phrase: PhraseTokens) -> str:
    words = ["(" + " | ".join(f"'{token}'" for token in forms) + ")" for forms in phrase]
    return "(" + " <-> ".join(words) + ")"


def compile_tsquery(query: MatchQuery) -> str:
    parts = [_phrase(p) for p in query.required] + [f"'@{token}'" for token in query.meta]
    expression = " & ".join(parts)
    for phrase in query.excluded:
        expression += f" & !{_phrase(phrase)}"
    return expression


class PostgresBackend:
    def write(self, table: str, documents: list[Document]) -> None:
        name = table_name(table)
        if not documents:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {name} (id, doc) VALUES (%s, %s::tsvector) "  # noqa: S608
                "ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc",
                [(d.object_id, tsvector_literal(d)) for d in documents],
            )

    def delete(self, table: str, object_ids: list[int]) -> None:
        name = table_name(table)
        if not object_ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {name} WHERE id = ANY(%s)", [object_ids])  # noqa: S608

    def newest(
        self, table: str, query: MatchQuery, limit: int, *, ranked: bool = False
    ) -> list[Hit]:
        name = table_name(table)
        tsquery = compile_tsquery(query)
        where = "doc @@ %s::tsquery"
        params: list[object] = [tsquery]
        if query.min_id is not None:
            where += " AND id > %s"
            params.append(query.min_id)
        if query.max_id is not None:
            where += " AND id < %s"
            params.append(query.max_id)
        params.append(limit)
        newest = f"SELECT id, doc FROM {name} WHERE {where} ORDER BY id DESC LIMIT %s"  # noqa: S608
        with connection.cursor() as cursor:
            if ranked:
                cursor.execute(
                    f"SELECT id, ts_rank(doc, %s::tsquery) FROM ({newest}) found "  # noqa: S608
                    "ORDER BY id DESC",
                    [tsquery, *params],
                )
            else:
                cursor.execute(newest.replace("id, doc", "id", 1), params)
            return [Hit(row[0], float(row[1]) if ranked else 0.0) for row in cursor.fetchall()]

    def clear(self, table: str) -> None:
        name = table_name(table)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {name}")

    def optimize(self, table: str) -> None:
        name = table_name(table)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {name}")

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "WHERE c.relkind = 'r' AND c.relname LIKE 'search\\_%%'"
            )
            return int(cursor.fetchone()[0])
