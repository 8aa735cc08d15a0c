"""Exporting a set's judgments: TREC qrels, JSONL, or a BEIR folder. Passages are named by their stable
key `doc_id#ordinal` (see keys.py); skipped candidates are not exported."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from index.passage_queries import all_passage_views, document_text
from search.evaluation import sets
from search.evaluation.errors import EvalSetError
from search.evaluation.qrels_io import qrels_line

EXPORT_FORMATS = ("trec", "jsonl", "beir")


@dataclass
class BeirReport:
    folder: str
    corpus: int
    queries: int
    qrels: int

    def as_dict(self) -> dict:
        return asdict(self)


def trec_lines(store, name: str) -> list[str]:
    out = []
    for j in sets.judgments(store.db.conn, name):
        if any(c.isspace() for c in j.ref.key):
            raise EvalSetError("passage key {key!r} holds spaces, which TREC qrels cannot carry; export with {format} jsonl",
                               fields=("format",), key=j.ref.key)
        out.append(qrels_line(j.qid, j.ref.key, j.grade))
    return out


def jsonl_records(store, name: str) -> list[dict]:
    """One record per judgment, with the query and the passage text as judged (its stored character span)."""
    conn = store.db.conn
    texts = {q.qid: q.query for q in sets.queries(conn, name)}
    docs: dict[str, str | None] = {}
    out = []
    for j in sets.judgments(conn, name):
        if j.ref.doc_id not in docs:
            docs[j.ref.doc_id] = document_text(conn, j.ref.doc_id)
        doc_text = docs[j.ref.doc_id]
        out.append({
            "query_id": j.qid, "query": texts[j.qid], "doc_id": j.ref.key, "document": j.ref.doc_id, "ordinal": j.ref.ordinal,
            "char_start": j.ref.char_start, "char_end": j.ref.char_end, "relevance": j.grade, "origin": j.origin,
            "text": doc_text[j.ref.char_start : j.ref.char_end] if doc_text is not None else None,
        })
    return out


BEIR_FILES = ("corpus.jsonl", "queries.jsonl", "qrels/test.tsv")


def export_beir(store, name: str, folder: Path, corpus: str = "all") -> BeirReport:
    """Write `corpus.jsonl`, `queries.jsonl` and `qrels/test.tsv`. corpus='all' writes every passage of the
    index (so other systems retrieve over the same collection); 'judged' only the judged ones."""
    if corpus not in ("all", "judged"):
        raise EvalSetError("{corpus} {value!r} must be 'all' or 'judged'", fields=("corpus",), value=corpus)
    conn = store.db.conn
    sets.get_set(conn, name)
    judged = sets.judgments(conn, name)
    folder = Path(folder)
    (folder / "qrels").mkdir(parents=True, exist_ok=True)
    wanted = {(j.ref.doc_id, j.ref.ordinal) for j in judged}
    n_corpus = 0
    with open(folder / "corpus.jsonl", "w", encoding="utf-8") as out:
        for p in all_passage_views(conn):
            if corpus == "judged" and (p.doc_id, p.ordinal) not in wanted:
                continue
            record = {"_id": f"{p.doc_id}#{p.ordinal}", "title": p.title or "", "text": p.text,
                      "metadata": {"doc_id": p.doc_id, "ordinal": p.ordinal, "char_start": p.char_start, "char_end": p.char_end,
                                   "date": p.date, "source": p.source, "speaker": p.speaker, "role": p.role, "actor": p.actor}}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n_corpus += 1
    queries = sets.queries(conn, name)
    with open(folder / "queries.jsonl", "w", encoding="utf-8") as out:
        for q in queries:
            meta = {**q.meta, "exclude": [r.key for r in q.exclude]}
            out.write(json.dumps({"_id": q.qid, "text": q.query, "metadata": meta}, ensure_ascii=False) + "\n")
    with open(folder / "qrels" / "test.tsv", "w", encoding="utf-8") as out:
        out.write("query-id\tcorpus-id\tscore\n")
        for j in judged:
            out.write(f"{j.qid}\t{j.ref.key}\t{j.grade}\n")
    return BeirReport(str(folder), n_corpus, len(queries), len(judged))
