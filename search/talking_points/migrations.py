"""The talking-point tables (tp_*), owned by this package and created when it first opens them.

The migration keeps the name index/migrations.py recorded for it before talking points owned their
tables, so an index written then is already up to date; later ones are named `talking_points:NAME`.
"""
from __future__ import annotations

from index.migrations import Migration, ensure_feature_schema
from search.talking_points.errors import TalkingPointsError

FEATURE = "talking_points"

# Talking points (search/talking_points): sentences of passages, one row per distinct wording with its
# vector, and the clusters of reused wordings. Deleting a passage deletes its sentences.
MIGRATIONS: list[Migration] = [(
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
)]


def has_tables(conn) -> bool:
    """Whether this index has the talking-point tables (an index never asked for talking points may not)."""
    return conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (MIGRATIONS[0][0],)).fetchone() is not None


def ensure_schema(conn) -> None:
    """Create or upgrade the talking-point tables of this index connection; refuse ones from a newer dipsearch."""
    ensure_feature_schema(conn, MIGRATIONS, FEATURE, lambda schema: TalkingPointsError(
        f"this index's talking points were written by a newer dipsearch (schema {schema}); upgrade dipsearch to read them"))
