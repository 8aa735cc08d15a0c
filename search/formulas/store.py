"""SQLite storage of each document's formula tokens (fm_documents), refreshed only for new or changed documents."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from index import passage_queries
from index.batches import in_batches
from search.formulas.migrations import ensure_schema
from search.formulas.prepare import DocumentTokens, document_tokens

VERSION = 2  # of the tokenizer; rows of another version are computed again
SEP = "\x1f"


def refresh_tokens(db, progress: Callable[[str, int], None] | None = None, batch: int = 200) -> int:
    """Tokenize the documents that are new or changed since their tokens were stored; returns how many."""
    conn = db.conn
    ensure_schema(conn)
    current = passage_queries.document_text_hashes(conn)
    stored = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT doc_id, text_hash, version FROM fm_documents")}
    todo = [d for d, h in current.items() if stored.get(d) != (h, VERSION)]
    if progress:
        progress("total", len(todo))
    for start in range(0, len(todo), batch):
        rows = passage_queries.documents_with_text(conn, todo[start : start + batch])
        values = []
        for row in rows:
            t = document_tokens(row["text"], row["speaker"])
            values.append((row["doc_id"], row["text_hash"], VERSION, SEP.join(t.norms), np.asarray(t.starts, np.int32).tobytes(),
                           np.asarray(t.ends, np.int32).tobytes(), np.packbits(np.asarray(t.capital, bool)).tobytes()))
        with db.transaction():
            conn.executemany("INSERT OR REPLACE INTO fm_documents(doc_id, text_hash, version, norms, starts, ends, capital) VALUES (?,?,?,?,?,?,?)", values)
        if progress:
            progress("documents", len(rows))
    return len(todo)


def load_tokens(db, doc_ids: Sequence[str]) -> dict[str, DocumentTokens]:
    """doc id -> its stored tokens."""
    out: dict[str, DocumentTokens] = {}
    for chunk, marks in in_batches(list(doc_ids)):
        for doc_id, norms, starts, ends, capital in db.conn.execute(
                f"SELECT doc_id, norms, starts, ends, capital FROM fm_documents WHERE doc_id IN ({marks})", chunk):
            n = np.frombuffer(starts, np.int32)
            out[doc_id] = DocumentTokens(norms.split(SEP) if norms else [], n.tolist(), np.frombuffer(ends, np.int32).tolist(),
                                         np.unpackbits(np.frombuffer(capital, np.uint8))[: len(n)].astype(bool).tolist())
    return out
