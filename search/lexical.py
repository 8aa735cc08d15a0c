"""Lexical retrieval with SQLite FTS5 and bm25."""
from __future__ import annotations

from search.filters import Filters
from search.terms import query_terms, words


def fts_query(query: str) -> str | None:
    """An FTS5 expression matching any query word or quoted phrase (bm25 rewards matching more)."""
    phrases, terms = query_terms(query)
    parts = ['"' + " ".join(words(p)) + '"' for p in phrases if words(p)]
    parts += ['"' + t.replace('"', "") + '"' for t in terms]
    return " OR ".join(parts) if parts else None


def lexical_search(conn, query: str, filters: Filters, limit: int) -> list[tuple[int, float]]:
    """(passage id, score) best first; score is -bm25, so higher is better."""
    expression = fts_query(query)
    if expression is None:
        return []
    where, params = filters.sql()
    rows = conn.execute(
        f"""SELECT p.passage_id, bm25(passages_fts) AS rank
            FROM passages_fts JOIN passages p ON p.passage_id = passages_fts.rowid JOIN documents d ON d.doc_id = p.doc_id
            WHERE passages_fts MATCH ? AND {where}
            ORDER BY rank LIMIT ?""",
        [expression, *params, limit],
    ).fetchall()
    return [(int(r[0]), -float(r[1])) for r in rows]
