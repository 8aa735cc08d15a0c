"""Who owns the SQL: only the core store (index/) queries `documents`, `passages` and `passages_fts`.

Features and benchmarks ask index/passage_queries.py (or Database) instead, so a change to the core
tables is made in one place. The check reads every string literal (f-strings too) of search/ and
benchmarks/ with `ast`; a feature table's foreign key into `passages` (REFERENCES passages) is allowed.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = r"(passages|documents|passages_fts)\b"
SQL_START = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|REPLACE)\b", re.IGNORECASE)
ON_CORE_ANY_CASE = re.compile(rf"\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+{CORE}", re.IGNORECASE)
ON_CORE_UPPER = re.compile(rf"\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+{CORE}")
# A condition on a document column through a table alias: a filter fragment written for someone else's query.
DOCUMENT_CONDITION = re.compile(r"\b[A-Za-z_]\w*\.(date|source|speaker|lang|title|url)\)?\s*(>=|<=|=|<|>|LIKE\b|IS\b)", re.IGNORECASE)


def _strings(tree: ast.AST):
    """(line, text) of every string literal; an f-string's literal parts are joined with '{}'."""
    inside_fstring = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    parts.append(value.value)
                    inside_fstring.add(id(value))
                else:
                    parts.append("{}")
            yield node.lineno, "".join(parts)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside_fstring:
            yield node.lineno, node.value


def core_sql(text: str) -> bool:
    """Whether `text` looks like SQL reading or writing a core table (prose like 'passages from one document' is not)."""
    if "passages_fts" in text or DOCUMENT_CONDITION.search(text):
        return True
    if SQL_START.match(text):
        return bool(ON_CORE_ANY_CASE.search(text))
    return bool(ON_CORE_UPPER.search(text))


def offenders(folders=("search", "benchmarks")) -> list[str]:
    out = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            out += [f"{path.relative_to(ROOT)}:{line}" for line, text in _strings(tree) if core_sql(text)]
    return out


def test_no_sql_on_the_core_tables_outside_the_core_store():
    assert offenders() == [], "query documents/passages through index/passage_queries.py (or Database), not with SQL here"


def test_the_check_sees_sql_in_every_form_it_is_written():
    assert core_sql("SELECT p.passage_id FROM passages p JOIN documents d ON d.doc_id = p.doc_id")
    assert core_sql("select doc_id from documents where speaker is not null")
    assert core_sql("SELECT rowid, bm25(passages_fts) FROM passages_fts WHERE passages_fts MATCH ?")
    assert core_sql("\n    DELETE FROM passages WHERE doc_id = ?")
    assert core_sql("""SELECT s.text_id FROM tp_sentences s JOIN passages p ON p.passage_id = s.passage_id""")
    tree = ast.parse('conn.execute(f"SELECT text FROM documents WHERE doc_id IN ({marks})", chunk)')
    assert [core_sql(t) for _, t in _strings(tree)] == [True]
    assert core_sql("(d.date >= ? AND d.date <= ?) OR d.date IS NULL") and core_sql("lower(d.lang) = ?")
    assert core_sql("docs.source LIKE ? ESCAPE '\\'")
    # Feature tables, foreign keys into the core and prose are not core SQL.
    assert not core_sql("SELECT passage_id FROM tp_passages")
    assert not core_sql("CREATE TABLE tp_passages (passage_id INTEGER PRIMARY KEY REFERENCES passages(passage_id) ON DELETE CASCADE)")
    assert not core_sql("At most N passages from one document; documents from the index.")
    assert not core_sql("SELECT count(*) FROM eval_candidates c JOIN eval_judgments j ON j.doc_id = c.doc_id AND j.ordinal = c.ordinal")
