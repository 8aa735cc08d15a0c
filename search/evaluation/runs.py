"""The engine's rankings for every query of a set, per mode, as runs keyed by stable passage keys."""
from __future__ import annotations

from pathlib import Path

from search.evaluation import sets
from search.evaluation.keys import current_passages, passage_key
from search.evaluation.qrels_io import run_lines
from search.evaluation.query_vectors import PrecomputedEmbedder

Run = dict[str, list[tuple[str, float]]]  # qid -> [(passage key, score)], best first


def engine_runs(store, embedder, name: str, modes, k: int = 100, per_doc: int | None = None, on_query=None,
                exclude_all=()) -> dict[str, Run]:
    """Search every query of set `name` in each mode: top `k`, at most `per_doc` passages per document (default:
    no cap), the query's excluded passages (a question's own) and `exclude_all` never returned; `on_query(done, total)`
    after each query. Scores are rank-based (k + 1 - rank) so any tool reading the run keeps the engine's order,
    ties included."""
    from search.retrieval import SearchRequest, search
    from search.retrieval.modes import need_embedder

    conn = store.db.conn
    queries = sets.queries(conn, name)
    per_doc = per_doc or k
    if need_embedder(modes):
        store.check_model(embedder)
        embedder = PrecomputedEmbedder(embedder, [q.query for q in queries])
    runs: dict[str, Run] = {m: {} for m in modes}
    always = frozenset(pid for pid, _ in current_passages(conn, exclude_all).values())
    for done, q in enumerate(queries, start=1):
        exclude = always | frozenset(pid for pid, _ in current_passages(conn, q.exclude).values())
        for mode in modes:
            response = search(store, embedder, SearchRequest(q.query, mode=mode, k=k, per_doc=per_doc, exclude=exclude, highlight=False), annotate=False)
            runs[mode][q.qid] = [(passage_key(h.doc_id, h.ordinal), float(k + 1 - h.rank)) for h in response.results]
        if on_query:
            on_query(done, len(queries))
    return runs


def write_runs(runs: dict[str, Run], folder: Path, prefix: str) -> list[str]:
    """Write each run as `folder/PREFIX.RUN.trec`; returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for run_name, run in runs.items():
        path = folder / f"{prefix}.{run_name}.trec"
        path.write_text("".join(line + "\n" for line in run_lines(run, f"dipsearch-{run_name}")), encoding="utf-8")
        paths.append(str(path))
    return paths
