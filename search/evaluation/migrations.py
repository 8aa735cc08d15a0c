"""The evaluation tables (evalsets, eval_*), owned by this package and created when it first opens them.

The migration keeps the name index/migrations.py recorded for it before evaluation owned its tables,
so an index written then is already up to date; later ones are named `evaluation:NAME`.
"""
from __future__ import annotations

from index.migrations import Migration, ensure_feature_schema
from search.evaluation.errors import EvalSetError

FEATURE = "evaluation"

# Evaluation sets (search/evaluation): queries, pooled candidates and graded judgments. Passages are
# keyed by doc_id + ordinal (+ char span, to detect re-chunking), never by passage_id, which changes
# when a document is re-ingested; so no foreign keys to passages and nothing cascades from them.
MIGRATIONS: list[Migration] = [(
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
)]


def ensure_schema(conn) -> None:
    """Create or upgrade the evaluation tables of this index connection; refuse ones from a newer dipsearch."""
    ensure_feature_schema(conn, MIGRATIONS, FEATURE, lambda schema: EvalSetError(
        f"this index's evaluation sets were written by a newer dipsearch (schema {schema}); upgrade dipsearch to read them"))
