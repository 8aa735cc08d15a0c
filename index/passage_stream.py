"""Every lexical match of a query, streamed from the database in rank order (for exports, which take all
hits rather than the best k): the rows come a batch at a time, never all into memory."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from index.filter_sql import DocumentFilter, where


def lexical_matches(conn: sqlite3.Connection, expression: str, filters: DocumentFilter | None,
                    batch: int = 1000) -> Iterator[list[tuple[int, float]]]:
    """Batches of (passage id, bm25) of every FTS5 match of `expression` passing `filters`, best (lowest bm25)
    first; the same order as index.passage_queries.lexical_candidates, without its limit."""
    if filters is not None and filters.active:
        clause, params = where(filters, "d", "p")  # who speaks is asked of the matching passage, as in lexical_candidates
        cursor = conn.execute(
            f"""SELECT p.passage_id, bm25(passages_fts) AS rank
                FROM passages_fts JOIN passages p ON p.passage_id = passages_fts.rowid JOIN documents d ON d.doc_id = p.doc_id
                WHERE passages_fts MATCH ? AND {clause} ORDER BY rank""",
            [expression, *params])
    else:
        cursor = conn.execute("SELECT rowid, bm25(passages_fts) AS rank FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rank",
                              [expression])
    try:
        while rows := cursor.fetchmany(batch):
            yield [(int(r[0]), float(r[1])) for r in rows]
    finally:
        cursor.close()
