"""Formulas and sentence clusters together over real text, from scratch: wall and CPU seconds, load, peak memory.

    PYTHONPATH=. python benchmarks/formulas_bench.py ../shared/corpus/whitehouse.jsonl.gz --passages 100000 --index /tmp/fb

Builds (once; an index already holding the passages is reused) an index of the corpus's first documents until it
holds --passages passages, with 8-dimension hashed vectors that neither part reads. Then, forgetting every stored
token, list and sentence:
1. formulas (`find_formulas`, limit 30): tokenizing every document, the n-gram levels, ranking;
2. sentence clusters, lexical only (`refresh_talking_points` with `lexical_only`): splitting every passage into
   sentences, word 5-gram containment, star clusters, storing. Lexical only because the real model embeds some
   20-30 sentences a second on this machine's 2 cores, so the ~500k sentences of 100k passages would take hours
   at their first run (after that only new wordings are embedded), and hashed vectors would time a semantic signal
   that finds nothing real;
3. both again after `--extra` more documents are added (only those are tokenized and split; the counting and
   the clustering run over everything again). Documents whose text the index already holds are skipped.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build(store, corpus: str, passages: int, extra: int) -> list:
    """Fill `store` up to `passages` passages (unless it holds them); return the next `extra` documents."""
    from corpus.readers import ReadOptions, read_inputs
    from index import passage_queries
    from index.ingest import Ingestor
    from tests.fakes import FakeEmbedder

    full = store.db.counts()["passages"] >= passages
    held = set(passage_queries.document_ids(store.db.conn))
    ingestor = None if full else Ingestor(store, FakeEmbedder(dimension=8))
    rest = []
    for i, item in enumerate(read_inputs([corpus], ReadOptions())):
        if ingestor is not None and (i % 20 or store.db.counts()["passages"] < passages):
            ingestor.add(item)
            continue
        if ingestor is not None:
            ingestor.finish()
            ingestor = None
        if getattr(item, "doc_id", None) not in held:
            rest.append(item)
        if len(rest) >= extra:
            break
    if ingestor is not None:
        ingestor.finish()
    return rest


def timed(label: str, out: dict, work) -> None:
    c0, t0, load = time.process_time(), time.perf_counter(), os.getloadavg()[0]
    result = work()
    out[label] = {"wall_s": round(time.perf_counter() - t0, 1), "cpu_s": round(time.process_time() - c0, 1),
                  "load_before": round(load, 1), "load_after": round(os.getloadavg()[0], 1), **(result or {})}
    print(label, out[label], file=sys.stderr, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--passages", type=int, default=100_000, help="stop reading documents once the index holds this many passages")
    ap.add_argument("--index", default="/tmp/formulas-bench")
    ap.add_argument("--extra", type=int, default=20, help="documents ingested before the second run")
    args = ap.parse_args()
    from index.ingest import ingest
    from index.store import IndexStore
    from search.formulas import find_formulas
    from search.formulas.migrations import ensure_schema as formulas_schema
    from search.talking_points import TalkingPointOptions, refresh_talking_points
    from search.talking_points.migrations import ensure_schema as talking_schema
    from tests.fakes import FakeEmbedder

    store = IndexStore.open(args.index, create=True)
    extra = build(store, args.corpus, args.passages, 10 * args.extra)
    formulas_schema(store.db.conn)
    talking_schema(store.db.conn)
    with store.db.transaction() as conn:  # from scratch
        for table in ("fm_results", "fm_documents", "tp_cluster_texts", "tp_clusters", "tp_sentences", "tp_texts", "tp_passages"):
            conn.execute(f"DELETE FROM {table}")
    counts = store.db.counts()
    out: dict = {"documents": counts["documents"], "passages": counts["passages"], "cpus": os.cpu_count()}
    options = TalkingPointOptions(lexical_only=True)
    top: list = []

    def formulas():
        top[:] = [f.text for f in find_formulas(store, limit=30)]
        return {"top": top[:10]}

    def sentences():
        report = refresh_talking_points(store, None, options, force=True)
        return {"sentences": report.sentences_added, "wordings": report.wordings, "clusters": report.clusters, "seconds": report.seconds}

    timed("formulas", out, formulas)
    timed("sentences", out, sentences)
    out["together"] = {k: round(out["formulas"][k] + out["sentences"][k], 1) for k in ("wall_s", "cpu_s")}
    if extra:
        added = 0
        for item in extra:  # one at a time: the corpus repeats some texts, which are stored once (not added)
            added += ingest(store, [item], FakeEmbedder(dimension=8)).added
            if added >= args.extra:
                break
        out["extra_documents"] = added
        timed("formulas_after_ingest", out, formulas)
        timed("sentences_after_ingest", out, lambda: {"sentences_added": refresh_talking_points(store, None, options).sentences_added})
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    store.close()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
