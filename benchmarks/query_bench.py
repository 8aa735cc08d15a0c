#!/usr/bin/env python
"""Query latency of dipsearch, in-process, against an existing index (nothing is re-embedded).

    python benchmarks/query_bench.py ../shared/corpus/mfa_pressconf.jsonl.gz --index ../mfa-index

Queries are built from the corpus at run time: the journalists' questions ("Q: ..." paragraphs),
distinct, in a deterministic order spread over the corpus. Two query sets are timed per mode:
`question` (the full question, median ~40 words) and `short` (its first sentence, at most 8 words,
closer to what people type in a search box). Each query goes through the function `dipsearch search`
calls (search.retrieval.search, talking points annotated), k=10; warm-up queries are not counted.
The index is opened read-only.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from benchcommon import corpus_questions, latency_summary, machine, mib, max_rss_bytes, short_query, table, write_json

from search.retrieval.modes import mode_names, need_embedder



def open_readonly(folder: Path):
    """An IndexStore over `folder` that never writes (the shared index may be copied by others)."""
    from index.database import Database
    from index.manifest import read_manifest
    from index.store import DB_NAME, IndexStore
    from index.errors import IndexNotFound

    if not (folder / DB_NAME).exists():
        raise IndexNotFound(folder)
    return IndexStore(folder, Database(folder / DB_NAME, readonly=True), read_manifest(folder))


def cli_search():
    """The function `dipsearch search` calls (search.retrieval.search: talking points annotated)."""
    from search.retrieval import search

    return search


def build_query_sets(corpus: Path, n: int, limit_docs: int | None = None) -> dict[str, list[str]]:
    questions = corpus_questions(corpus, n, limit_docs)
    if not questions:
        raise SystemExit(f"no 'Q:' paragraphs found in {corpus}; give the MFA press-conference corpus")
    return {"question": questions, "short": [short_query(q) for q in questions]}


def run_query_bench(store, embedder, query_sets: dict[str, list[str]], modes=None, k: int = 10, warmup: int = 10) -> dict:
    """p50/p95 latency of `search()` per mode and query set, plus the parts of a hybrid query."""
    from search.retrieval import SearchRequest, candidate_depth
    search = cli_search()
    modes = modes or mode_names()
    from search.filters import Filters
    from search.lexical import lexical_search

    store.vectors()  # load the FAISS file before timing, as a long-running server would
    results: dict = {"k": k, "warmup_queries": warmup, "modes": {}, "parts": {}, "hits": {}}
    for set_name, queries in query_sets.items():
        words = sorted(len(q.split()) for q in queries)
        results.setdefault("query_sets", {})[set_name] = {"n": len(queries), "median_words": words[len(words) // 2]}
        for mode in modes:
            for q in queries[:warmup]:
                search(store, embedder, SearchRequest(q, mode=mode, k=k))
            times, empty = [], 0
            for q in queries:
                t0 = time.perf_counter()
                response = search(store, embedder, SearchRequest(q, mode=mode, k=k))
                times.append(time.perf_counter() - t0)
                empty += not response.results
            results["modes"].setdefault(mode, {})[set_name] = {**latency_summary(times), "queries_without_results": empty}
        # Where a hybrid query's time goes: the query embedding, the FAISS search, the FTS5 search.
        depth = candidate_depth(SearchRequest("x", k=k))
        parts = {"embed_query": [], "faiss_search": [], "fts5_search": []}
        if embedder is not None:
            vectors = store.vectors()
            for q in queries:
                t0 = time.perf_counter()
                v = embedder.embed([q])
                t1 = time.perf_counter()
                vectors.search(v, depth)
                t2 = time.perf_counter()
                parts["embed_query"].append(t1 - t0)
                parts["faiss_search"].append(t2 - t1)
        for q in queries:
            t0 = time.perf_counter()
            lexical_search(store.db.conn, q, Filters(), depth)
            parts["fts5_search"].append(time.perf_counter() - t0)
        results["parts"][set_name] = {name: latency_summary(ts) for name, ts in parts.items() if ts}
    return results


def print_query_results(results: dict) -> None:
    rows = []
    for mode, sets in results["modes"].items():
        for set_name, s in sets.items():
            rows.append([mode, set_name, s["n"], s["p50_ms"], s["p95_ms"], s["mean_ms"], s["max_ms"]])
    for set_name, parts in results["parts"].items():
        for part, s in parts.items():
            rows.append([f"  part: {part}", set_name, s["n"], s["p50_ms"], s["p95_ms"], s["mean_ms"], s["max_ms"]])
    sets = ", ".join(f"{k}: {v['n']} queries, median {v['median_words']} words" for k, v in results["query_sets"].items())
    print(f"\nQuery latency, k={results['k']}, in-process after {results['warmup_queries']} warm-up queries per mode ({sets})")
    print(table(rows, ["mode", "query set", "n", "p50 ms", "p95 ms", "mean ms", "max ms"]))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpus", type=Path, help="the corpus the queries come from (JSONL(.gz) with 'Q:' paragraphs)")
    p.add_argument("--index", type=Path, required=True, help="an index built by `dipsearch ingest` from that corpus")
    p.add_argument("--model", type=Path, default=None, help="model folder (default: the bundled all-MiniLM-L6-v2)")
    p.add_argument("--backend", default=None, help="encoder backend the index was built with (default torch)")
    p.add_argument("--queries", type=int, default=150, help="how many distinct questions (default 150; at least 100 for p95)")
    p.add_argument("--modes", default=",".join(mode_names()), help=f"comma-separated modes (default {','.join(mode_names())})")
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--threads", type=int, default=None, help="torch and faiss threads (default: their own, = cores)")
    p.add_argument("--json-out", default=None, help="write the results as JSON to this file")
    args = p.parse_args(argv)

    from index.embedding import load

    env_before = machine()
    query_sets = build_query_sets(args.corpus, args.queries)
    store = open_readonly(args.index)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    t0 = time.perf_counter()
    embedder = load(args.model, backend=args.backend or "torch") if need_embedder(modes) else None
    load_s = time.perf_counter() - t0
    import faiss

    if args.threads:
        faiss.omp_set_num_threads(args.threads)
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(args.threads)
    results = run_query_bench(store, embedder, query_sets, modes, args.k, args.warmup)
    counts = store.db.counts()
    out = {"benchmark": "query", "corpus": str(args.corpus), "index": str(args.index), "index_counts": counts, "threads": args.threads,
           "model_load_s": round(load_s, 2), "faiss_blas_threshold": int(faiss.cvar.distance_compute_blas_threshold),
           "max_rss_mib": mib(max_rss_bytes()), "machine_before": env_before, "machine_after": machine(), **results}
    print(f"Index {args.index}: {counts['documents']} documents, {counts['passages']} passages; "
          f"model load {load_s:.1f} s; load average before/after {env_before['loadavg_1_5_15']} / {out['machine_after']['loadavg_1_5_15']}")
    print_query_results(results)
    print(f"\nProcess peak RSS (ru_maxrss): {out['max_rss_mib']} MiB")
    write_json(args.json_out, out)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
