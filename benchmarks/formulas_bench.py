"""Formulas over real text: build a lexical-only index (tiny hashed vectors: formulas read no vectors), then time
`find_formulas` (tokenizing every document, the n-gram levels, ranking) in wall and CPU seconds.

    PYTHONPATH=. python benchmarks/formulas_bench.py ../shared/corpus/whitehouse.jsonl.gz --docs 5000 --index /tmp/fb
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--docs", type=int, default=None)
    ap.add_argument("--passages", type=int, default=100_000, help="stop reading documents once the index holds this many passages")
    ap.add_argument("--index", default="/tmp/formulas-bench")
    args = ap.parse_args()
    from corpus.readers import ReadOptions, read_inputs
    from index.store import IndexStore
    from search.formulas import find_formulas
    from tests.fakes import FakeEmbedder

    store = IndexStore.open(args.index, create=True)
    items = read_inputs([args.corpus], ReadOptions())
    from index.ingest import Ingestor

    ingestor = Ingestor(store, FakeEmbedder(dimension=8))
    added = 0
    for i, item in enumerate(items):
        if (args.docs is not None and i >= args.docs) or (i % 20 == 0 and store.db.counts()["passages"] >= args.passages):
            break
        ingestor.add(item)
        added += 1
    ingestor.finish()
    counts = store.db.counts()
    cpu0, t0 = time.process_time(), time.perf_counter()
    found = find_formulas(store, limit=30)
    out = {"documents": counts["documents"], "passages": counts["passages"], "wall_s": round(time.perf_counter() - t0, 1),
           "cpu_s": round(time.process_time() - cpu0, 1), "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
           "top": [f.text for f in found[:10]]}
    store.db.conn.execute("DELETE FROM fm_results")  # as after an ingest: tokens stored, the list counted again
    store.db.conn.commit()
    cpu0, t0 = time.process_time(), time.perf_counter()
    find_formulas(store, limit=30)
    out.update({"again_wall_s": round(time.perf_counter() - t0, 1), "again_cpu_s": round(time.process_time() - cpu0, 1)})
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
