"""Small helpers to build indexes from documents written in the tests themselves."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from corpus.documents import RawDocument
from index.ingest import ingest
from index.store import IndexStore


def raw(doc_id: str, text: str, **given) -> RawDocument:
    return RawDocument(doc_id=doc_id, text=text, origin=f"{doc_id}.txt", given={k: v for k, v in given.items() if v is not None})


def build(folder: Path, docs, embedder, **options):
    """(store, report) for a fresh or existing index at `folder` after ingesting `docs`."""
    store = IndexStore.open(folder, create=True)
    report = ingest(store, docs, embedder, **options)
    return store, report


def passages_by_doc(store) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in store.db.conn.execute("SELECT doc_id, text FROM passages ORDER BY doc_id, ordinal"):
        out.setdefault(row[0], []).append(row[1])
    return out


def committed_docs(index: Path) -> int:
    """Documents committed in the index at `index`, read by another connection (0 before the schema exists)."""
    db = Path(index) / "dipsearch.sqlite"
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # schema not created yet
        return 0
