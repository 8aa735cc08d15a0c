"""Vector index types at scale on synthetic clustered 384-d vectors: flat vs IVF vs HNSW.

For each size: build time, bytes per passage (the saved file), one-query latency p50/p95 (single
queries, as a CLI or web search runs them), and recall@10 against exact search. Indexes are built
by the library (`VectorIndex.build`) with the parameters dipsearch uses. A sweep of flat query
time over sizes shows where exact search gets slow (the auto threshold, index/ann.py).

    .venv/bin/python benchmarks/ann_bench.py --sizes 100000 1000000 --json-out /tmp/ann.json
"""
from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from benchcommon import latency_summary, machine, table, write_json  # noqa: E402

DIM = 384


SPREAD = 0.6


def clustered(n: int, seed: int, clusters: int = 2000, spread: float | None = None) -> np.ndarray:
    """Points around `clusters` random centres (topics), L2-normalised, generated in blocks."""
    spread = SPREAD if spread is None else spread
    rng = np.random.default_rng(12345)
    centres = rng.normal(size=(clusters, DIM)).astype(np.float32)
    rng = np.random.default_rng(seed)
    out = np.empty((n, DIM), np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        x = centres[rng.integers(0, clusters, m)] + spread * rng.normal(size=(m, DIM)).astype(np.float32)
        out[start : start + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def measure(index, queries: np.ndarray, truth: np.ndarray | None, k: int = 10) -> tuple[dict, np.ndarray]:
    lat, found = [], []
    for q in queries:
        t = time.perf_counter()
        found.append(index.search(q[None, :], k)[1][0])
        lat.append(time.perf_counter() - t)
    found = np.array(found)
    recall = 1.0 if truth is None else float(np.mean([len(set(f) & set(t)) / k for f, t in zip(found, truth)]))
    return {**latency_summary(lat), "recall_at_10": round(recall, 4)}, found


def main() -> None:
    from index.vectors import VectorIndex

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--types", nargs="+", default=["flat", "ivf", "hnsw"])
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--sweep", type=int, nargs="*", default=[10_000, 25_000, 50_000, 100_000, 200_000])
    ap.add_argument("--spread", type=float, default=0.6, help="noise around each cluster centre (larger: harder for ANN)")
    ap.add_argument("--hnsw-max", type=int, default=None, help="skip HNSW above this size (its build is the slow one)")
    ap.add_argument("--json-out")
    args = ap.parse_args()
    global SPREAD
    SPREAD = args.spread
    queries = clustered(args.queries, seed=999)
    results, rows = {"sweep_flat": {}, "sizes": {}}, []
    for n in args.sweep:  # flat query time by size
        x = clustered(n, seed=1)
        index = VectorIndex.build(DIM, "flat", [(np.arange(n), x)])
        results["sweep_flat"][n] = measure(index, queries[:100], None)[0]
        print(f"flat at {n}: p50 {results['sweep_flat'][n]['p50_ms']} ms", flush=True)
        del index, x
    for n in args.sizes:
        x = clustered(n, seed=1)
        ids = np.arange(n, dtype=np.int64)
        truth = None
        for kind in ["flat"] + [t for t in args.types if t != "flat" and not (t == "hnsw" and args.hnsw_max and n > args.hnsw_max)]:
            gc.collect()
            t = time.perf_counter()
            index = VectorIndex.build(DIM, kind, [(ids[s : s + 100_000], x[s : s + 100_000]) for s in range(0, n, 100_000)])
            build_s = time.perf_counter() - t
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "v.faiss"
                index.save(path)
                size = path.stat().st_size
            stats, found = measure(index, queries, truth)
            if kind == "flat":
                truth = found
            r = {"build_s": round(build_s, 1), "bytes_per_passage": round(size / n), **stats}
            results["sizes"].setdefault(n, {})[kind] = r
            rows.append([f"{n:,}", kind, r["build_s"], r["bytes_per_passage"], r["p50_ms"], r["p95_ms"], r["recall_at_10"]])
            print(rows[-1], flush=True)
            del index
        del x
    print(table(rows, ["passages", "index", "build s", "bytes/passage", "query p50 ms", "p95 ms", "recall@10"]))
    write_json(args.json_out, {"machine": machine(), "dimension": DIM, "queries": args.queries, **results})


if __name__ == "__main__":
    main()
