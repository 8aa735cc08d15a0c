"""The formula tables (fm_*), owned by this package and created when it first opens them (named `formulas:NAME`)."""
from __future__ import annotations

from index.migrations import Migration, ensure_feature_schema
from search.formulas.errors import FormulasError

FEATURE = "formulas"

# One row per document: its tokens (questions left out) as norms joined by \x1f, their character spans and
# capital flags as packed arrays, the journalists' questions' tokens (to tell a speaker's formula from a topic everyone names), and the text hash they were computed from. Keyed by document, so an ingest
# only tokenizes new or changed documents; removing a document removes its row. fm_results keeps each asked-for
# list (filters, query, limits -> formulas as JSON) for the index generation it was computed at, so the web and
# a repeated command read it instead of counting again.
MIGRATIONS: list[Migration] = [(
    "formulas:0001_document_tokens",
    """
    CREATE TABLE fm_documents (
        doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
        text_hash TEXT NOT NULL,
        version INTEGER NOT NULL,
        norms TEXT NOT NULL,
        starts BLOB NOT NULL,
        ends BLOB NOT NULL,
        capital BLOB NOT NULL,
        question_norms TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE fm_results (
        request TEXT PRIMARY KEY,
        generation INTEGER NOT NULL,
        formulas TEXT NOT NULL
    );
    """,
), (
    # Where commas stand (a packed bit per token: a comma follows it), so a list of names, "Hong Kong, Xinjiang and
    # Tibet", is told from a name. Rows written before have none and are tokenized again (store.VERSION).
    "formulas:0002_commas",
    "ALTER TABLE fm_documents ADD COLUMN comma BLOB NOT NULL DEFAULT x'';",
)]


def ensure_schema(conn) -> None:
    """Create or upgrade the formula tables; refuse ones from a newer dipsearch."""
    ensure_feature_schema(conn, MIGRATIONS, FEATURE, lambda schema: FormulasError(
        f"this index's formulas were written by a newer dipsearch (schema {schema}); upgrade dipsearch to read them"))
