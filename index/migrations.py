"""Schema changes, named and applied once each, in order, each in its own transaction.

The core tables (documents, passages, their FTS index, meta) are migrated here, when a database opens.
Features above the index own their tables and migrate them with `apply_migrations(conn, THEIR_LIST)` when
they open them (search/talking_points/migrations.py, search/evaluation/migrations.py); every name is
recorded in the one `_migrations` table. A feature's migrations are named `feature:name`, except the two
that index/ itself applied before the features owned their tables, which keep their recorded names
(`FEATURE_OWNED`) so that indexes written then upgrade in place.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

Migration = tuple[str, Callable[[sqlite3.Connection], None] | str]  # (name, SQL script or a function of the connection)
MIGRATIONS: list[Migration] = []  # the core's, in order
FEATURE_OWNED = frozenset({"0002_talking_points", "0003_evaluation_sets"})  # names applied by index/ before features owned their tables


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


def apply_migrations(conn: sqlite3.Connection, migrations: Sequence[Migration] | None = None) -> list[str]:
    """Apply the `migrations` (default: the core's) this database lacks, in order; returns their names.

    Each runs in its own transaction, or in a savepoint when the caller already holds one."""
    migrations = MIGRATIONS if migrations is None else migrations
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))")
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    applied = []
    for name, step in migrations:
        if name in done:
            continue
        nested = conn.in_transaction
        conn.execute("SAVEPOINT migration" if nested else "BEGIN IMMEDIATE")
        if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
            conn.execute("RELEASE migration" if nested else "COMMIT")  # another process opening the same new index applied it first
            continue
        try:
            if callable(step):
                step(conn)
            else:
                for statement in _statements(step):
                    conn.execute(statement)
            conn.execute("INSERT INTO _migrations(name) VALUES (?)", (name,))
            conn.execute("RELEASE migration" if nested else "COMMIT")
        except BaseException:
            conn.execute("ROLLBACK TO migration" if nested else "ROLLBACK")
            if nested:
                conn.execute("RELEASE migration")
            raise
        applied.append(name)
    return applied


def known_migrations() -> set[str]:
    """The names of the core's migrations."""
    return {name for name, _ in MIGRATIONS}


def is_feature_migration(name: str) -> bool:
    """Recorded by a feature above the index: the feature checks those itself when it opens its tables."""
    return name in FEATURE_OWNED or ":" in name


def unknown_migrations(conn: sqlite3.Connection, migrations: Sequence[Migration] | None = None, feature: str | None = None) -> set[str]:
    """Names recorded in this database that `migrations` lack: the core's (feature None), or `feature`'s own.
    A name there is from a newer dipsearch."""
    migrations = MIGRATIONS if migrations is None else migrations
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    if feature is None:
        mine = {n for n in done if not is_feature_migration(n)}
    else:
        mine = {n for n in done if n.startswith(feature + ":")}
    return mine - {name for name, _ in migrations}


def ensure_feature_schema(conn: sqlite3.Connection, migrations: Sequence[Migration], feature: str, newer_error) -> None:
    """Create or upgrade a feature's tables (talking points, evaluation sets, formulas) when it first opens them.
    `newer_error(name)` is the feature's own error for tables written by a newer dipsearch (schema `name`)."""
    done = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
    if all(name in done for name, _ in migrations) and not any(n.startswith(feature + ":") for n in done):
        return  # the common case, in one query
    newer = unknown_migrations(conn, migrations, feature)
    if newer:
        raise newer_error(sorted(newer)[-1])
    apply_migrations(conn, migrations)


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


# Who said it (issue 11): each passage's own speaker, role and actor with how each was obtained, and for an answer the
# ordinal (within its document) of the first passage of the question it answers. Passages stored before this have
# NULL role: `dipsearch attribute` (index.attribute_existing) fills them in place, keeping their ids.
migration(
    "0005_passage_attribution",
    """
    ALTER TABLE passages ADD COLUMN speaker TEXT;
    ALTER TABLE passages ADD COLUMN speaker_status TEXT;
    ALTER TABLE passages ADD COLUMN role TEXT;
    ALTER TABLE passages ADD COLUMN actor TEXT;
    ALTER TABLE passages ADD COLUMN actor_status TEXT;
    ALTER TABLE passages ADD COLUMN answers_passage INTEGER;
    CREATE INDEX passages_unattributed ON passages(passage_id) WHERE role IS NULL;
    """,
)
