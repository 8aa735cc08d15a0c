"""The SQLite database of an index: documents, passages with their vectors, FTS5, settings."""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus.documents import Document, Passage
from index import passage_queries
from index.batches import SQL_BATCH, in_batches  # noqa: F401  (re-exported: callers import them from here)
from index.errors import IndexFormatError
from index.migrations import apply_migrations, unknown_migrations
from index.sql_functions import register_functions


@dataclass(frozen=True)
class StoredHashes:
    text_hash: str
    record_hash: str


class Database:
    """One connection to an index database. Writes go through `transaction()`."""

    def __init__(self, path: Path, readonly: bool = False, immutable: bool = False):
        self.path = Path(path)
        uri = f"file:{self.path}?mode=ro{'&immutable=1' if immutable else ''}" if readonly else f"file:{self.path}"
        try:
            self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            # Before anything else: the FTS triggers call cjk_spaced; a connection without it must never write passages.
            register_functions(self.conn)
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = FULL")
                apply_migrations(self.conn)
            unknown = unknown_migrations(self.conn)
        except sqlite3.DatabaseError as exc:
            raise IndexFormatError(f"{self.path} is not a readable dipsearch database ({exc}); run `dipsearch check` on this index for what can be done") from exc
        if unknown:
            raise IndexFormatError(f"{self.path} was written by a newer dipsearch (schema {sorted(unknown)[-1]}); upgrade dipsearch to read it")

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # ------------------------------------------------------------- settings
    def get_setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def generation(self) -> int:
        return int(self.get_setting("generation") or 0)

    def bump_generation(self) -> int:
        """Call inside a transaction that changes passages: the vector file is then out of date."""
        gen = self.generation() + 1
        self.set_setting("generation", str(gen))
        return gen

    # ------------------------------------------------------------- documents
    def hashes(self, doc_id: str) -> StoredHashes | None:
        row = self.conn.execute("SELECT text_hash, record_hash FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return StoredHashes(row[0], row[1]) if row else None

    def doc_with_text(self, text_hash: str) -> str | None:
        row = self.conn.execute("SELECT doc_id FROM documents WHERE text_hash = ? LIMIT 1", (text_hash,)).fetchone()
        return row[0] if row else None

    def upsert_document(self, doc: Document, text_hash: str, record_hash: str) -> None:
        values = (
            doc.doc_id, doc.title, doc.date, doc.source, doc.speaker, doc.url, doc.lang,
            json.dumps(doc.provenance, sort_keys=True), json.dumps(doc.meta, ensure_ascii=False, default=str),
            doc.origin, doc.text, text_hash, record_hash,
        )
        self.conn.execute(
            """INSERT INTO documents(doc_id, title, date, source, speaker, url, lang, provenance, meta, origin, text, text_hash, record_hash)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
               ON CONFLICT(doc_id) DO UPDATE SET title=excluded.title, date=excluded.date, source=excluded.source,
                 speaker=excluded.speaker, url=excluded.url, lang=excluded.lang, provenance=excluded.provenance,
                 meta=excluded.meta, origin=excluded.origin, text=excluded.text, text_hash=excluded.text_hash,
                 record_hash=excluded.record_hash""",
            values,
        )

    def document(self, doc_id: str) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()

    def delete_document(self, doc_id: str) -> list[int]:
        """Remove a document; returns the ids of its passages (their vectors must go too)."""
        ids = self.passage_ids(doc_id)
        self.conn.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
        self.conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        return ids

    # ------------------------------------------------------------- passages
    def passage_ids(self, doc_id: str) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT passage_id FROM passages WHERE doc_id = ? ORDER BY ordinal", (doc_id,))]

    def replace_passages(self, doc_id: str, passages: Sequence[Passage], vectors: np.ndarray) -> tuple[list[int], list[int]]:
        """Swap a document's passages for new ones; returns (removed ids, new ids)."""
        removed = self.passage_ids(doc_id)
        self.conn.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
        new_ids = []
        for passage, vector in zip(passages, vectors):
            cur = self.conn.execute(
                "INSERT INTO passages(doc_id, ordinal, char_start, char_end, n_tokens, text, vector, speaker, speaker_status, role, actor, "
                "actor_status, answers_passage) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, passage.ordinal, passage.char_start, passage.char_end, passage.n_tokens, passage.text, np.asarray(vector, dtype=np.float32).tobytes(),
                 passage.speaker, passage.speaker_status, passage.role, passage.actor, passage.actor_status, passage.answers),
            )
            new_ids.append(cur.lastrowid)
        return removed, new_ids

    def passages_of(self, doc_id: str) -> list[sqlite3.Row]:
        return passage_queries.passages_of(self.conn, doc_id)

    def all_vectors(self, dimension: int, batch: int = 20000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(ids, vectors) of every passage, in batches, for rebuilding the vector index."""
        last = -1
        while True:
            rows = self.conn.execute("SELECT passage_id, vector FROM passages WHERE passage_id > ? ORDER BY passage_id LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dimension)
            last = int(ids[-1])
            yield ids, vectors

    def vectors_for(self, passage_ids: Sequence[int], dimension: int) -> np.ndarray:
        rows = {}
        for chunk, marks in in_batches(passage_ids):
            rows.update({r[0]: r[1] for r in self.conn.execute(f"SELECT passage_id, vector FROM passages WHERE passage_id IN ({marks})", chunk)})
        return np.stack([np.frombuffer(rows[i], dtype=np.float32) for i in passage_ids]) if passage_ids else np.zeros((0, dimension), np.float32)

    def counts(self) -> dict[str, int]:
        docs = self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        passages = self.conn.execute("SELECT count(*) FROM passages").fetchone()[0]
        return {"documents": docs, "passages": passages}
