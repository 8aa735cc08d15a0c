"""Schema changes, named and applied once each, in order, each in its own transaction."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable

MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None] | str]] = []


def migration(name: str, sql: str) -> None:
    MIGRATIONS.append((name, sql))


migration(
    "0001_documents_passages",
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE documents (
        doc_id TEXT PRIMARY KEY,
        title TEXT, date TEXT, source TEXT, speaker TEXT, url TEXT, lang TEXT,
        provenance TEXT NOT NULL DEFAULT '{}',
        meta TEXT NOT NULL DEFAULT '{}',
        origin TEXT,
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        record_hash TEXT NOT NULL,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX documents_text_hash ON documents(text_hash);
    CREATE INDEX documents_date ON documents(date);
    CREATE TABLE passages (
        passage_id INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        n_tokens INTEGER NOT NULL,
        text TEXT NOT NULL,
        vector BLOB NOT NULL
    );
    CREATE INDEX passages_doc ON passages(doc_id, ordinal);
    CREATE VIRTUAL TABLE passages_fts USING fts5(
        text, content='passages', content_rowid='passage_id', tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
        INSERT INTO passages_fts(rowid, text) VALUES (new.passage_id, new.text);
    END;
    CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
        INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.passage_id, old.text);
    END;
    """,
)


def apply_migrations(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations this database lacks; returns their names."""
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))")
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
            conn.execute("COMMIT")  # another process opening the same new index applied it first
            continue
        try:
            if callable(step):
                step(conn)
            else:
                for statement in _statements(step):
                    conn.execute(statement)
            conn.execute("INSERT INTO _migrations(name) VALUES (?)", (name,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def known_migrations() -> set[str]:
    return {name for name, _ in MIGRATIONS}


def _statements(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    out, buf = [], []
    for line in script.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf))
    return out


# Talking points (search/talking_points): sentences of passages, one row per distinct wording with its
# vector, and the clusters of reused wordings. Deleting a passage deletes its sentences.
migration(
    "0002_talking_points",
    """
    CREATE TABLE tp_passages (passage_id INTEGER PRIMARY KEY REFERENCES passages(passage_id) ON DELETE CASCADE);
    CREATE TABLE tp_texts (
        text_id INTEGER PRIMARY KEY AUTOINCREMENT,
        wording_key TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL,
        n_words INTEGER NOT NULL,
        vector BLOB NOT NULL
    );
    CREATE TABLE tp_sentences (
        sentence_id INTEGER PRIMARY KEY AUTOINCREMENT,
        passage_id INTEGER NOT NULL REFERENCES passages(passage_id) ON DELETE CASCADE,
        text_id INTEGER NOT NULL REFERENCES tp_texts(text_id),
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL
    );
    CREATE INDEX tp_sentences_passage ON tp_sentences(passage_id);
    CREATE INDEX tp_sentences_text ON tp_sentences(text_id);
    CREATE TABLE tp_clusters (
        cluster_id INTEGER PRIMARY KEY,
        representative_text_id INTEGER NOT NULL,
        n_texts INTEGER NOT NULL
    );
    CREATE TABLE tp_cluster_texts (
        cluster_id INTEGER NOT NULL REFERENCES tp_clusters(cluster_id) ON DELETE CASCADE,
        text_id INTEGER NOT NULL,
        similarity REAL NOT NULL,
        PRIMARY KEY (cluster_id, text_id)
    );
    CREATE INDEX tp_cluster_texts_text ON tp_cluster_texts(text_id);
    """,
)


# Evaluation sets (search/evaluation): queries, pooled candidates and graded judgments. Passages are
# keyed by doc_id + ordinal (+ char span, to detect re-chunking), never by passage_id, which changes
# when a document is re-ingested; so no foreign keys to passages and nothing cascades from them.
migration(
    "0003_evaluation_sets",
    """
    CREATE TABLE evalsets (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE eval_queries (
        set_name TEXT NOT NULL REFERENCES evalsets(name) ON DELETE CASCADE,
        qid TEXT NOT NULL,
        position INTEGER NOT NULL,
        query TEXT NOT NULL,
        exclude TEXT NOT NULL DEFAULT '[]',
        meta TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (set_name, qid)
    );
    CREATE TABLE eval_candidates (
        candidate_id INTEGER PRIMARY KEY AUTOINCREMENT,
        set_name TEXT NOT NULL,
        qid TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        best_rank INTEGER NOT NULL,
        modes TEXT NOT NULL,
        UNIQUE (set_name, qid, doc_id, ordinal),
        FOREIGN KEY (set_name, qid) REFERENCES eval_queries(set_name, qid) ON DELETE CASCADE
    );
    CREATE TABLE eval_judgments (
        set_name TEXT NOT NULL,
        qid TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        grade INTEGER,
        origin TEXT NOT NULL,
        seq INTEGER NOT NULL,
        judged_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (set_name, qid, doc_id, ordinal),
        FOREIGN KEY (set_name, qid) REFERENCES eval_queries(set_name, qid) ON DELETE CASCADE
    );
    CREATE INDEX eval_judgments_seq ON eval_judgments(set_name, seq);
    """,
)


# CJK lexical search: each CJK character becomes its own FTS token (corpus/cjk.py), so a Chinese word
# matches inside a longer clause. The triggers index cjk_spaced(text), registered on every connection
# (index/sql_functions.py; a connection without it must never write passages). Existing passages with
# CJK characters are reindexed here; others tokenize exactly as before, so English indexes stay as they were.
def _cjk_lexical(conn: sqlite3.Connection) -> None:
    from corpus.cjk import cjk_spaced
    from index.sql_functions import register_functions

    register_functions(conn)
    conn.execute("DROP TRIGGER IF EXISTS passages_ai")
    conn.execute("DROP TRIGGER IF EXISTS passages_ad")
    conn.execute("""CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
        INSERT INTO passages_fts(rowid, text) VALUES (new.passage_id, cjk_spaced(new.text));
    END""")
    conn.execute("""CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
        INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.passage_id, cjk_spaced(old.text));
    END""")
    last = -1
    while rows := conn.execute("SELECT passage_id, text FROM passages WHERE passage_id > ? ORDER BY passage_id LIMIT 2000", (last,)).fetchall():
        last = rows[-1][0]
        for passage_id, text in rows:
            spaced = cjk_spaced(text)
            if spaced != text:  # remove the tokens indexed from the raw text, then index the spaced text
                conn.execute("INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', ?, ?)", (passage_id, text))
                conn.execute("INSERT INTO passages_fts(rowid, text) VALUES (?, ?)", (passage_id, spaced))


MIGRATIONS.append(("0004_cjk_lexical", _cjk_lexical))
