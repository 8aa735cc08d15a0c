"""SQLite storage of each document's formula tokens (fm_documents), refreshed only for new or changed documents."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from index import passage_queries
from index.batches import in_batches
from search.formulas.migrations import ensure_schema
from search.formulas.prepare import DocumentTokens, document_tokens

VERSION = 4  # of the tokenizer; rows of another version are computed again
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
                           np.asarray(t.ends, np.int32).tobytes(), np.packbits(np.asarray(t.capital, bool)).tobytes(), SEP.join(t.question_norms),
                           np.packbits(np.asarray(t.comma, bool)).tobytes()))
        with db.transaction():
            conn.executemany("INSERT OR REPLACE INTO fm_documents(doc_id, text_hash, version, norms, starts, ends, capital, question_norms, comma) VALUES (?,?,?,?,?,?,?,?,?)", values)
        if progress:
            progress("documents", len(rows))
    return len(todo)


def load_tokens(db, doc_ids: Sequence[str]) -> dict[str, DocumentTokens]:
    """doc id -> its stored tokens."""
    out: dict[str, DocumentTokens] = {}
    for chunk, marks in in_batches(list(doc_ids)):
        for doc_id, norms, starts, ends, capital, asked, comma in db.conn.execute(
                f"SELECT doc_id, norms, starts, ends, capital, question_norms, comma FROM fm_documents WHERE doc_id IN ({marks})", chunk):
            n = np.frombuffer(starts, np.int32)
            bits = lambda blob: np.unpackbits(np.frombuffer(blob, np.uint8))[: len(n)].astype(bool).tolist()  # noqa: E731
            out[doc_id] = DocumentTokens(norms.split(SEP) if norms else [], n.tolist(), np.frombuffer(ends, np.int32).tolist(),
                                         bits(capital), asked.split(SEP) if asked else [], bits(comma) if comma else [False] * len(n))
    return out


def cached(db, request: str) -> list[dict] | None:
    """The formulas stored for `request` (a JSON key) at the index's current generation, if any."""
    import json

    row = db.conn.execute("SELECT generation, formulas FROM fm_results WHERE request = ?", (request,)).fetchone()
    return json.loads(row[1]) if row and row[0] == db.generation() else None


def save(db, request: str, formulas: list[dict], keep: int = 200) -> None:
    """Store a computed list for `request`; older generations' lists go, and at most `keep` lists stay."""
    import json

    generation = db.generation()
    with db.transaction():
        db.conn.execute("DELETE FROM fm_results WHERE generation != ?", (generation,))
        db.conn.execute("INSERT OR REPLACE INTO fm_results(request, generation, formulas) VALUES (?,?,?)",
                        (request, generation, json.dumps(formulas, ensure_ascii=False)))
        db.conn.execute("DELETE FROM fm_results WHERE request NOT IN (SELECT request FROM fm_results ORDER BY rowid DESC LIMIT ?)", (keep,))
