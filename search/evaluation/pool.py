"""Pooling: the top-k passages of every search mode for each query, deduplicated, stored as candidates."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from search.evaluation import sets
from search.evaluation.errors import EvalSetError
from search.evaluation.keys import PassageRef, current_passages
from search.evaluation.query_vectors import PrecomputedEmbedder
from search.retrieval.modes import evaluation_order, need_embedder

POOL_MODES = evaluation_order()


@dataclass
class PoolReport:
    name: str
    queries_added: int = 0
    queries_total: int = 0
    candidates_added: int = 0
    candidates_total: int = 0
    by_mode: dict[str, int] = field(default_factory=dict)  # passages each mode contributed (before deduplication)
    depth: int = 0
    per_doc: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def pool(store, embedder, name: str, queries: list[tuple[str, str]], depth: int = 10, modes=POOL_MODES,
         per_doc: int | None = None, on_query=None) -> PoolReport:
    """Add `queries` [(id, text)] to set `name` (created if new) and pool the top `depth` of each mode.

    Pooling again with more queries or a larger depth adds to the set and keeps every judgment.
    `per_doc` caps passages per document (default: no cap, so one document can fill a pool).
    `on_query(done, total)` is called after each query.
    """
    from search.retrieval import SearchRequest, search

    bad = [m for m in modes if m not in POOL_MODES]
    if bad or not modes:
        raise EvalSetError(f"unknown mode(s) {', '.join(bad) or 'none'}; pool with any of {', '.join(POOL_MODES)}")
    needs_model = need_embedder(modes)
    if needs_model and embedder is None:
        raise EvalSetError("dense and hybrid pooling need the model; pass {modes} lexical to pool without it", fields=("modes",))
    per_doc = per_doc or depth
    for qid, text in queries:
        SearchRequest(text, k=depth, per_doc=per_doc).validate()
    conn = store.db.conn
    report = PoolReport(name=name, depth=depth, per_doc=per_doc, by_mode={m: 0 for m in modes})
    with store.db.transaction():
        sets.create_set(conn, name, "pooled", {"modes": list(modes)})
        for qid, text in queries:
            report.queries_added += sets.add_query(conn, name, qid, text)
    if needs_model:
        store.check_model(embedder)
        embedder = PrecomputedEmbedder(embedder, [text for _, text in queries])
    stored = {q.qid: q for q in sets.queries(conn, name)}
    for done, (qid, text) in enumerate(queries, start=1):
        exclude = _excluded_ids(conn, stored[qid].exclude)
        with store.db.transaction():
            for mode in modes:
                response = search(store, embedder, SearchRequest(text, mode=mode, k=depth, per_doc=per_doc, exclude=exclude), annotate=False)
                for hit in response.results:
                    ref = PassageRef(hit.doc_id, hit.ordinal, hit.char_start, hit.char_end)
                    report.candidates_added += sets.add_candidate(conn, name, qid, ref, hit.rank, mode)
                    report.by_mode[mode] += 1
        if on_query:
            on_query(done, len(queries))
    summary = sets.summary(conn, name)
    report.queries_total, report.candidates_total = summary["queries"], summary["candidates"]
    return report


def _excluded_ids(conn, refs: list[PassageRef]) -> frozenset[int]:
    return frozenset(pid for pid, _ in current_passages(conn, refs).values())
