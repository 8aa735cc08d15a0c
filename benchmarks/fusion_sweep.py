"""How fusion settings change retrieval quality on an evaluation set (an investigation tool, not a test).

Retrieves dense and lexical candidates once per query (depth 1000, the set's excluded passages removed, no
per-document cap), then fuses them offline with reciprocal rank fusion at several k and weights, and with a
min-max-normalised score sum, and scores every variant with ranx (paired t-test between variants).

With --holdout F, variants are compared on a random (1 - F) of the queries only, and the best fused variant
is then checked against RRF k=60 (the engine's default) and the single modes on the held-out F, which
played no part in choosing it.

    .venv/bin/python benchmarks/fusion_sweep.py INDEX SET [--sample N] [--holdout 0.5] [--answers-only] [--json OUT]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.embedding import load  # noqa: E402
from index.passage_queries import all_passage_views  # noqa: E402
from index.store import IndexStore  # noqa: E402
from search.dense import dense_search  # noqa: E402
from search.evaluation import sets  # noqa: E402
from search.evaluation.evaluate import current_qrels  # noqa: E402
from search.evaluation.keys import PassageRef, current_passages  # noqa: E402
from search.evaluation.scoring import score_runs  # noqa: E402
from search.filters import Filters  # noqa: E402
from search.fusion import reciprocal_rank_fusion  # noqa: E402
from search.lexical import lexical_search  # noqa: E402

DEPTH, CUT = 1000, 100


def minmax_sum(dense, lexical, alpha):
    def norm(ranking):
        if not ranking:
            return {}
        hi, lo = ranking[0][1], ranking[-1][1]
        return {pid: (s - lo) / (hi - lo) if hi > lo else 1.0 for pid, s in ranking}
    d, x = norm(dense), norm(lexical)
    fused = {pid: alpha * d.get(pid, 0.0) + (1 - alpha) * x.get(pid, 0.0) for pid in set(d) | set(x)}
    return sorted(fused.items(), key=lambda kv: -kv[1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("index")
    ap.add_argument("name")
    ap.add_argument("--sample", type=int)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json")
    ap.add_argument("--holdout", type=float, help="share of queries kept out of the comparison, to test the best variant on")
    ap.add_argument("--answers-only", action="store_true", help="sets from from-qa: keep every question passage out")
    args = ap.parse_args()
    store = IndexStore.open(args.index)
    conn = store.db.conn
    queries = sets.queries(conn, args.name)
    if args.sample and args.sample < len(queries):
        queries = random.Random(args.seed).sample(queries, args.sample)
    qrels, stale = current_qrels(store, args.name)
    qrels = {q.qid: qrels[q.qid] for q in queries if q.qid in qrels}
    always = set()
    if args.answers_only:
        refs = [PassageRef(*q) for q in sets.get_set(conn, args.name)["params"]["question_passages"]]
        always = {pid for pid, _ in current_passages(conn, refs).values()}
    key_of = {p.passage_id: f"{p.doc_id}#{p.ordinal}" for p in all_passage_views(conn)}
    embedder = load(None, backend="torch")
    store.check_model(embedder)
    t0 = time.time()
    vectors = embedder.embed([q.query for q in queries])
    retrieved = {}
    for q, vec in zip(queries, vectors):
        excluded = always | {pid for pid, _ in current_passages(conn, q.exclude).values()}
        dense = [(p, s) for p, s in dense_search(store, vec[None, :], Filters(), DEPTH) if p not in excluded]
        lexical = [(p, s) for p, s in lexical_search(conn, q.query, Filters(), DEPTH) if p not in excluded]
        retrieved[q.qid] = (dense, lexical)
    print(f"{len(queries)} queries retrieved in {time.time() - t0:.0f}s ({stale} stale judgments)", file=sys.stderr)
    variants = {"dense": lambda d, x: d, "lexical": lambda d, x: x}
    for k in (1, 10, 30, 60, 100):
        variants[f"rrf k={k}"] = lambda d, x, k=k: reciprocal_rank_fusion([d, x], k=k)
    for wd, wx in ((2, 1), (1, 2), (3, 1), (1, 3)):
        variants[f"rrf k=60 w={wd}:{wx}"] = lambda d, x, wd=wd, wx=wx: reciprocal_rank_fusion([d, x], k=60, weights=[wd, wx])
    for depth in (10, 50, 100):
        variants[f"rrf k=60 depth={depth}"] = lambda d, x, depth=depth: reciprocal_rank_fusion([d[:depth], x[:depth]], k=60)
    for alpha in (0.3, 0.5, 0.7):
        variants[f"minmax a={alpha}"] = lambda d, x, alpha=alpha: minmax_sum(d, x, alpha)
    runs = {}
    for label, fuse in variants.items():
        runs[label] = {qid: [(key_of[p], float(CUT - i)) for i, (p, _) in enumerate(fuse(d, x)[:CUT])] for qid, (d, x) in retrieved.items()}
    tune, held_out = sorted(qrels), []
    if args.holdout:
        random.Random(args.seed).shuffle(tune)
        cut = round(len(tune) * (1 - args.holdout))
        tune, held_out = sorted(tune[:cut]), sorted(tune[cut:])
    table = score_runs({q: qrels[q] for q in tune}, runs)
    print_table(f"{len(tune)} queries" + (" (tuning part)" if held_out else ""), table)
    best_single = max(("dense", "lexical"), key=lambda r: table.scores[r]["ndcg@10"])
    for label in ("rrf k=60", best_single):
        other = "lexical" if label == "dense" else "dense" if label == "lexical" else best_single
        print(f"p(nDCG@10) {label} vs {other}: {table.p_values['ndcg@10'][label][other]}")
    out = {"tune": table.as_dict()}
    if held_out:
        best = max((r for r in runs if r not in ("dense", "lexical")), key=lambda r: table.scores[r]["ndcg@10"])
        chosen = {r: runs[r] for r in dict.fromkeys([best, "rrf k=60", "dense", "lexical"])}
        test = score_runs({q: qrels[q] for q in held_out}, chosen)
        print_table(f"held-out {len(held_out)} queries: best on tuning ({best}) vs the default", test)
        if best != "rrf k=60":
            print(f"p(nDCG@10) {best} vs rrf k=60 (held out): {test.p_values['ndcg@10'][best]['rrf k=60']}")
        out["held_out"] = test.as_dict()
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


def print_table(title, table) -> None:
    print(title)
    print(f"{'variant':<22}" + "".join(f"{m:>12}" for m in table.metrics))
    for label in sorted(table.runs, key=lambda r: -table.scores[r]["ndcg@10"]):
        print(f"{label:<22}" + "".join(f"{table.scores[label][m]:>12.3f}" for m in table.metrics))


if __name__ == "__main__":
    main()
