"""The core store's read queries over `documents`, `passages` and `passages_fts`, for the features above it.

Everything outside index/ that needs passages or documents asks here (search, talking points, evaluation,
benchmarks), so the core tables' SQL lives in one place. The functions take the connection of an index
database (`Database.conn`): evaluation code holds a connection, not a store.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from index.batches import in_batches
from index.filter_sql import DocumentFilter, where
from index.passage_view import PassageView, field_status

_VIEW_SELECT = """SELECT p.passage_id, p.doc_id, p.ordinal, p.char_start, p.char_end, p.text,
                         p.speaker AS p_speaker, p.speaker_status, p.role, p.actor, p.actor_status, p.answers_passage,
                         (SELECT q.text FROM passages q WHERE q.doc_id = p.doc_id AND q.ordinal = p.answers_passage) AS question,
                         d.title, d.source, d.date, d.speaker, d.lang, d.url, d.provenance
                  FROM passages p JOIN documents d ON d.doc_id = p.doc_id"""


def _view(row) -> PassageView:
    return PassageView(
        passage_id=row["passage_id"], doc_id=row["doc_id"], title=row["title"], source=row["source"], date=row["date"],
        date_status=field_status(row["provenance"], "date", row["date"]), lang=row["lang"],
        url=row["url"], ordinal=row["ordinal"], text=row["text"], char_start=row["char_start"], char_end=row["char_end"],
        **_attribution(row),
    )


def _attribution(row) -> dict:
    """The passage's own speaker, role and actor; an unattributed passage (role NULL) shows its document's speaker."""
    if row["role"] is None:
        return {"speaker": row["speaker"], "doc_speaker": row["speaker"],
                "speaker_status": field_status(row["provenance"], "speaker", row["speaker"])}
    return {"speaker": row["p_speaker"], "speaker_status": row["speaker_status"], "role": row["role"], "actor": row["actor"],
            "actor_status": row["actor_status"], "answers": row["answers_passage"], "question": row["question"],
            "doc_speaker": row["speaker"]}


# ------------------------------------------------------------------ passage views
def passage_views(conn: sqlite3.Connection, passage_ids: Iterable[int]) -> dict[int, PassageView]:
    """passage id -> its view, for the ids that exist (a removed passage is simply absent)."""
    out: dict[int, PassageView] = {}
    for chunk, marks in in_batches(list(dict.fromkeys(passage_ids))):
        for row in conn.execute(f"{_VIEW_SELECT} WHERE p.passage_id IN ({marks})", chunk):
            out[row["passage_id"]] = _view(row)
    return out


def passage_view(conn: sqlite3.Connection, passage_id: int) -> PassageView | None:
    return passage_views(conn, [passage_id]).get(passage_id)


def passage_view_at(conn: sqlite3.Connection, doc_id: str, ordinal: int) -> PassageView | None:
    """The passage at `ordinal` of document `doc_id`, if the document has one there."""
    row = conn.execute(f"{_VIEW_SELECT} WHERE p.doc_id = ? AND p.ordinal = ?", (doc_id, ordinal)).fetchone()
    return _view(row) if row else None


def all_passage_views(conn: sqlite3.Connection) -> Iterator[PassageView]:
    """Every passage of the index, by document id and ordinal."""
    for row in conn.execute(f"{_VIEW_SELECT} ORDER BY p.doc_id, p.ordinal"):
        yield _view(row)


# ------------------------------------------------------------------ ids and spans
def passages_of(conn: sqlite3.Connection, doc_id: str) -> list[sqlite3.Row]:
    """A document's passages by ordinal: passage_id, ordinal, char_start, char_end, n_tokens, text and their attribution."""
    return list(conn.execute("SELECT passage_id, ordinal, char_start, char_end, n_tokens, text, speaker, speaker_status, role, actor, actor_status, "
                             "answers_passage FROM passages WHERE doc_id = ? ORDER BY ordinal",
                             (doc_id,)))


def all_passage_ids(conn: sqlite3.Connection) -> list[int]:
    return [r[0] for r in conn.execute("SELECT passage_id FROM passages ORDER BY passage_id")]


def doc_ids_of(conn: sqlite3.Connection, passage_ids: Sequence[int]) -> dict[int, str]:
    """passage id -> document id (reads no text: the per-document cap runs over every candidate)."""
    doc_of: dict[int, str] = {}
    for chunk, marks in in_batches(passage_ids):
        doc_of.update(conn.execute(f"SELECT passage_id, doc_id FROM passages WHERE passage_id IN ({marks})", chunk).fetchall())
    return doc_of


def doc_id_by_passage(conn: sqlite3.Connection) -> dict[int, str]:
    """passage id -> document id for every passage, in one scan."""
    return dict(conn.execute("SELECT passage_id, doc_id FROM passages").fetchall())


def passage_ids_matching(conn: sqlite3.Connection, filters: DocumentFilter) -> np.ndarray:
    """Ids of the passages whose documents pass `filters`."""
    clause, params = where(filters, "d", "p")
    rows = conn.execute(f"SELECT p.passage_id FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE {clause}", params)
    return np.fromiter((r[0] for r in rows), dtype=np.int64)


# ------------------------------------------------------------------ lexical
def lexical_candidates(conn: sqlite3.Connection, expression: str, filters: DocumentFilter | None, limit: int) -> list[tuple[int, float]]:
    """(passage id, bm25) of the best `limit` FTS5 matches of `expression`, best (lowest bm25) first."""
    if filters is not None and filters.active:
        clause, params = where(filters, "d", "p")
        rows = conn.execute(
            f"""SELECT p.passage_id, bm25(passages_fts) AS rank
                FROM passages_fts JOIN passages p ON p.passage_id = passages_fts.rowid JOIN documents d ON d.doc_id = p.doc_id
                WHERE passages_fts MATCH ? AND {clause}
                ORDER BY rank LIMIT ?""",
            [expression, *params, limit],
        ).fetchall()
    else:  # nothing to filter on: skip the joins (every FTS row is a stored passage); 40% faster on long questions
        rows = conn.execute("SELECT rowid, bm25(passages_fts) AS rank FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rank LIMIT ?",
                            [expression, limit]).fetchall()
    return [(int(r[0]), float(r[1])) for r in rows]


def fts_match_count(conn: sqlite3.Connection, expression: str) -> int:
    """How many passages match an FTS5 expression (query translation's choice among a word's translations)."""
    return int(conn.execute("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", [expression]).fetchone()[0])


# ------------------------------------------------------------------ documents
def document_languages(conn: sqlite3.Connection) -> set[str | None]:
    """The distinct language codes of the documents (None: a document of unknown language)."""
    return {r[0] for r in conn.execute("SELECT DISTINCT lang FROM documents")}


def document_ids(conn: sqlite3.Connection, filters: DocumentFilter | None = None) -> list[str]:
    """Ids of the documents passing `filters` (all without), by date (undated first) and id."""
    clause, params = where(filters, "d")
    return [r[0] for r in conn.execute(f"SELECT d.doc_id FROM documents d WHERE {clause} ORDER BY d.date, d.doc_id", params)]


def document_rows(conn: sqlite3.Connection, filters: DocumentFilter | None, limit: int | None = None, offset: int = 0) -> list[sqlite3.Row]:
    """Documents passing `filters` with their passage counts, oldest first and undated last."""
    clause, params = where(filters, "d")
    return conn.execute(
        f"""SELECT d.doc_id, d.title, d.date, d.source, d.speaker, d.lang, d.url, d.provenance,
                   (SELECT count(*) FROM passages p WHERE p.doc_id = d.doc_id) AS passages
            FROM documents d WHERE {clause} ORDER BY d.date IS NULL, d.date, d.doc_id LIMIT ? OFFSET ?""",
        [*params, -1 if limit is None else limit, offset],
    ).fetchall()


def document_text(conn: sqlite3.Connection, doc_id: str) -> str | None:
    row = conn.execute("SELECT text FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    return row[0] if row else None


def document_dates(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for chunk, marks in in_batches(list(dict.fromkeys(doc_ids))):
        out.update(conn.execute(f"SELECT doc_id, date FROM documents WHERE doc_id IN ({marks})", chunk).fetchall())
    return out


def speakers(conn: sqlite3.Connection) -> set[str]:
    """Every speaker named on a document."""
    return {r[0] for r in conn.execute("SELECT DISTINCT speaker FROM documents WHERE speaker IS NOT NULL")}


# ------------------------------------------------------------------ formulas and trends (search/formulas, search/trends)
def document_text_hashes(conn: sqlite3.Connection) -> dict[str, str]:
    """doc id -> hash of its normalised text, for every document (what changed since a feature last read them)."""
    return dict(conn.execute("SELECT doc_id, text_hash FROM documents").fetchall())


def documents_with_text(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> list[sqlite3.Row]:
    """doc_id, text, text_hash and speaker of the given documents."""
    rows: list[sqlite3.Row] = []
    for chunk, marks in in_batches(list(doc_ids)):
        rows += conn.execute(f"SELECT doc_id, text, text_hash, speaker FROM documents WHERE doc_id IN ({marks})", chunk).fetchall()
    return rows


def document_facets(conn: sqlite3.Connection, filters: DocumentFilter | None = None) -> list[sqlite3.Row]:
    """doc_id, date, source, speaker and title of the documents passing `filters`, by date (undated first) and id."""
    clause, params = where(filters, "d")
    return conn.execute(f"SELECT d.doc_id, d.date, d.source, d.speaker, d.title FROM documents d WHERE {clause} ORDER BY d.date, d.doc_id",
                        params).fetchall()


def documents_matching(conn: sqlite3.Connection, expression: str, filters: DocumentFilter | None = None) -> list[tuple[str, int]]:
    """(doc id, passages matching) of the documents with a passage that matches the FTS5 `expression` and passes `filters`
    (a document said_by China counts when the matching passage is China's, not when China speaks elsewhere in it)."""
    clause, params = where(filters, "d", "p")  # who speaks (said_by, role, speaker) is asked of the matching passage itself
    rows = conn.execute(
        f"""SELECT p.doc_id, count(*) FROM passages_fts JOIN passages p ON p.passage_id = passages_fts.rowid
            JOIN documents d ON d.doc_id = p.doc_id WHERE passages_fts MATCH ? AND {clause} GROUP BY p.doc_id""",
        [expression, *params]).fetchall()
    return [(r[0], int(r[1])) for r in rows]


def passage_spans(conn: sqlite3.Connection, filters: DocumentFilter) -> dict[str, list[tuple[int, int]]]:
    """doc id -> (char_start, char_end) in its text of each passage passing `filters`, who speaks asked of the passage."""
    clause, params = where(filters, "d", "p")
    out: dict[str, list[tuple[int, int]]] = {}
    for doc_id, start, end in conn.execute(
            f"SELECT p.doc_id, p.char_start, p.char_end FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE {clause} "
            "ORDER BY p.doc_id, p.char_start", params):
        out.setdefault(doc_id, []).append((int(start), int(end)))
    return out


# ------------------------------------------------------------------ attribution
def unattributed_count(conn: sqlite3.Connection) -> int:
    """Passages stored before attribution (role NULL); instant through the partial index passages_unattributed."""
    return conn.execute("SELECT count(*) FROM passages WHERE role IS NULL").fetchone()[0]


def unattributed_doc_ids(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT doc_id FROM passages WHERE role IS NULL ORDER BY doc_id")]


def facet_rows(conn: sqlite3.Connection, passage_ids: Sequence[int]) -> list[tuple]:
    """(actor, role, speaker) of each of `passage_ids` that exists; an unattributed passage has its document's speaker."""
    out: list[tuple] = []
    for chunk, marks in in_batches(list(dict.fromkeys(passage_ids))):
        out += conn.execute(f"""SELECT p.actor, p.role, CASE WHEN p.role IS NULL THEN d.speaker ELSE p.speaker END
                                FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE p.passage_id IN ({marks})""", chunk).fetchall()
    return [tuple(r) for r in out]


def roles_of(conn: sqlite3.Connection, passage_ids: Sequence[int]) -> dict[int, str | None]:
    """passage id -> its role (None: unattributed)."""
    out: dict[int, str | None] = {}
    for chunk, marks in in_batches(list(dict.fromkeys(passage_ids))):
        out.update(conn.execute(f"SELECT passage_id, role FROM passages WHERE passage_id IN ({marks})", chunk).fetchall())
    return out
