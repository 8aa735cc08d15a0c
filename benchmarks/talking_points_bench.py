"""Talking points at scale: clustering time and peak memory for an index of N passages.

    .venv/bin/python benchmarks/talking_points_bench.py ../shared/corpus/whitehouse.jsonl.gz --passages 10000 --workdir /tmp/tpb
    .venv/bin/python benchmarks/talking_points_bench.py ../shared/corpus/whitehouse.jsonl.gz --passages 100000 --workdir /tmp/tpb

Builds (once, kept in --workdir) an index of the first documents of the corpus until it holds N
passages, then in a fresh process times `refresh_talking_points` from scratch (split sentences,
embed distinct wordings, n-gram index, FAISS kNN, star clustering, store) and records the
process's peak RSS; then adds a few more documents and times the incremental refresh.

Vectors: by default hashed bag-of-words vectors (tests/fakes.py FakeEmbedder, 384 dimensions), so the
run measures the clustering, not the encoder (the real model embeds ~20-30 sentences/s on 2 cores,
see notes/performance.md: 100k passages ≈ 500k sentences would take hours). `--real-model` uses the
bundled model instead. The numbers say which was used.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(1, str(REPO))


def embedder_for(real: bool):
    if real:
        from index.embedding import load

        return load(backend="torch")
    from tests.fakes import FakeEmbedder

    return FakeEmbedder(dimension=384)


def build(corpus: Path, folder: Path, passages: int, extra: int, real: bool) -> dict:
    from corpus.readers import ReadOptions, read_inputs
    from index.ingest import Ingestor
    from index.store import IndexStore

    store = IndexStore.open(folder, create=True)
    if store.db.counts()["passages"] >= passages:
        return store.db.counts()
    embedder = embedder_for(real)
    ingestor = Ingestor(store, embedder)
    held, extras = 0, []
    for item in read_inputs([corpus], ReadOptions()):
        if held >= passages:
            extras.append(item)
            if len(extras) >= extra:
                break
            continue
        ingestor.add(item)
        held = store.db.counts()["passages"] + sum(len(p.passages) for p in ingestor._pending)
    ingestor.finish()
    with open(folder / "extra.jsonl", "w", encoding="utf-8") as f:
        for raw in extras:
            f.write(json.dumps({"id": raw.doc_id + "-extra", "text": raw.text, **raw.given}) + "\n")
    return store.db.counts()


def refresh_once(folder: Path, real: bool, extra: bool) -> dict:
    """Run in a fresh process so ru_maxrss is this run's peak."""
    from index.store import IndexStore
    from search.talking_points import TalkingPointOptions, refresh_talking_points

    store = IndexStore.open(folder)
    embedder = embedder_for(real)
    if not extra:  # from scratch: forget stored sentences and clusters
        with store.db.transaction() as conn:
            for table in ("tp_cluster_texts", "tp_clusters", "tp_sentences", "tp_texts", "tp_passages"):
                conn.execute(f"DELETE FROM {table}")
    if extra:
        from corpus.readers import ReadOptions, read_inputs
        from index.ingest import ingest

        ingest(store, read_inputs([folder / "extra.jsonl"], ReadOptions()), embedder)
    start = time.perf_counter()
    report = refresh_talking_points(store, embedder, TalkingPointOptions(), force=True)
    wall = time.perf_counter() - start
    counts = store.db.counts()
    sentences = store.db.conn.execute("SELECT count(*) FROM tp_sentences").fetchone()[0]
    return {"passages": counts["passages"], "documents": counts["documents"], "sentences": sentences, "wall_s": round(wall, 2),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), **report.as_dict()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--passages", type=int, default=10000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/tp-bench"))
    ap.add_argument("--extra-docs", type=int, default=20)
    ap.add_argument("--real-model", action="store_true")
    ap.add_argument("--json-out", type=Path)
    ap.add_argument("--_refresh", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--_extra", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args._refresh:
        print(json.dumps(refresh_once(args._refresh, args.real_model, args._extra)))
        return
    folder = args.workdir / f"{'real' if args.real_model else 'hashed'}-{args.passages}"
    t0 = time.perf_counter()
    counts = build(args.corpus, folder, args.passages, args.extra_docs, args.real_model)
    print(f"index {folder}: {counts} (built/checked in {time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    results = {"vectors": "real model" if args.real_model else "hashed bag-of-words (FakeEmbedder, 384-d)", "load": os.getloadavg()[0]}
    for label, extra in (("full", False), ("after_ingest", True)):
        cmd = [sys.executable, __file__, str(args.corpus), "--_refresh", str(folder)] + (["--real-model"] if args.real_model else []) + (["--_extra"] if extra else [])
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        results[label] = json.loads(out.strip().splitlines()[-1])
        print(label, results[label], file=sys.stderr)
    print(json.dumps(results, indent=1))
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
