#!/usr/bin/env python
"""What attribution costs at ingest: the same documents ingested with attributed chunking (today) and with plain
chunking (corpus.chunking.chunk, as before issue 11), timing the whole Ingestor.

    python benchmarks/attribution_overhead.py ../shared/corpus/mfa_pressconf_sample.jsonl [--encoder-rate 25]

The embedder is the tests' hash embedder, so the time measured is everything but the model; the model's time is
then added at `--encoder-rate` passages per second (the bundled MiniLM on this 2-core machine: ~25/s) to give the
throughput ratio a real ingest sees. Both runs are repeated and the best time kept.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def run(path: Path, plain: bool) -> tuple[float, int]:
    from corpus.chunking import chunk
    from corpus.readers import ReadOptions, read_inputs
    from index import ingest as ingest_module
    from index.store import IndexStore
    from tests.fakes import FakeEmbedder

    original = ingest_module.attributed_passages
    if plain:
        ingest_module.attributed_passages = lambda doc, count, options, *rest: chunk(doc.text, count, options)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = IndexStore.open(Path(tmp) / "idx", create=True)
            started = time.perf_counter()
            report = ingest_module.ingest(store, read_inputs([path], ReadOptions()), FakeEmbedder())
            seconds = time.perf_counter() - started
            store.close()
    finally:
        ingest_module.attributed_passages = original
    return seconds, report.passages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--encoder-rate", type=float, default=25.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = {}
    for plain in (True, False, True, False)[: 2 * args.repeat]:
        seconds, passages = run(args.path, plain)
        best = results.get(plain)
        if best is None or seconds < best[0]:
            results[plain] = (seconds, passages)
    for plain, label in ((True, "plain chunking"), (False, "attributed")):
        seconds, passages = results[plain]
        with_model = seconds + passages / args.encoder_rate
        print(f"{label:15s} {passages} passages, {seconds:.2f} s without the model ({passages / seconds:.0f}/s); "
              f"with the model at {args.encoder_rate:g}/s: {passages / with_model:.2f} passages/s")
    (p_s, p_n), (a_s, a_n) = results[True], results[False]
    print(f"ratio attributed/plain, passages/s without the model: {(a_n / a_s) / (p_n / p_s):.3f}; "
          f"with the model: {(a_n / (a_s + a_n / args.encoder_rate)) / (p_n / (p_s + p_n / args.encoder_rate)):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
