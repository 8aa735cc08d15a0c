"""Importing judgments made elsewhere (TREC qrels, JSONL, CSV/TSV) into a set, all or nothing."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from search.evaluation import sets
from search.evaluation.migrations import ensure_schema
from search.evaluation.errors import JudgmentFileError
from search.evaluation.keys import resolve
from search.evaluation.qrels_io import read_judgments


@dataclass
class ImportReport:
    name: str
    lines: int = 0
    judgments_added: int = 0
    judgments_replaced: int = 0
    queries_added: int = 0
    unknown_passages: list[str] = field(default_factory=list)  # "LINE: DOCID" of passages not in the index (with skip_unknown)

    def as_dict(self) -> dict:
        return asdict(self)


def import_judgments(store, name: str, path: Path, fmt: str | None = None, queries: list[tuple[str, str]] | None = None,
                     skip_unknown: bool = False) -> ImportReport:
    """Add the judgments in `path` to set `name` (created if new). Query text comes from the set, from the file
    (a `query` field) or from `queries` [(id, text)]. Passage ids may be `doc_id#ordinal`, `doc_id:start-end`
    or a current passage id. Nothing is stored unless every line is usable (or, with `skip_unknown`, names a
    passage not in the index)."""
    raw = read_judgments(Path(path), fmt)
    conn = store.db.conn
    name = sets.check_name(name)
    ensure_schema(conn)
    known = {r[0]: r[1] for r in conn.execute("SELECT qid, query FROM eval_queries WHERE set_name = ?", (name,))}
    texts = dict(queries or [])
    report = ImportReport(name=name, lines=len(raw))
    resolved = []
    for item in raw:
        text = known.get(item.qid) or item.query or texts.get(item.qid)
        if not text:
            raise JudgmentFileError("{where}: query {qid!r} is not in set {set!r} and the file gives no query text; "
                                    "add a 'query' field or pass {queries} FILE with its text", fields=("queries",),
                                    where=f"{path}:{item.line}", qid=item.qid, set=name)
        ref = resolve(conn, item.docid)
        if ref is None:
            report.unknown_passages.append(f"{item.line}: {item.docid}")
            continue
        resolved.append((item, text, ref))
    if report.unknown_passages and not skip_unknown:
        shown = "; ".join(report.unknown_passages[:5])
        raise JudgmentFileError("{path}: {count} line(s) name passages not in this index ({shown}); use ids like doc_id#ordinal "
                                "or doc_id:start-end as `evalset export` writes them, or pass {skip_unknown}", fields=("skip_unknown",),
                                path=path, count=len(report.unknown_passages), shown=shown)
    with store.db.transaction():
        sets.create_set(conn, name, "imported", {"source": str(path)})
        for item, text, ref in resolved:
            report.queries_added += sets.add_query(conn, name, item.qid, text)
            before = conn.execute("SELECT 1 FROM eval_judgments WHERE set_name = ? AND qid = ? AND doc_id = ? AND ordinal = ?",
                                  (name, item.qid, ref.doc_id, ref.ordinal)).fetchone()
            sets.set_judgment(conn, name, item.qid, ref, item.grade, "import")
            if before:
                report.judgments_replaced += 1
            else:
                report.judgments_added += 1
    return report
