"""Ingest end to end vs the raw encoder, measured in the same run on the same passages.

1. raw: the passages of the first --docs documents (read, cleaned and chunked beforehand) embedded
   in one `embedder.embed` call: the encoder's own rate.
2. ingest (overlap): a fresh index built by `Ingestor(overlap=True)` (as `dipsearch ingest` runs
   it): reading, cleaning, chunking and committing overlap the embedding on a worker thread.
3. ingest (serial): the same with overlap=False.
The runs alternate raw / overlap / serial for --rounds rounds; medians are reported.

    .venv/bin/python benchmarks/throughput_bench.py ../shared/corpus/mfa_pressconf.jsonl.gz --docs 20 --backend onnx
"""
from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchcommon import machine, table, write_json  # noqa: E402


def main() -> None:
    from corpus.chunking import ChunkOptions, chunk
    from corpus.documents import RawDocument
    from corpus.prepare import prepare
    from corpus.readers import read_inputs
    from index.embedding import load
    from index.ingest import Ingestor
    from index.store import IndexStore

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--backend", default="onnx")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--json-out")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    embedder = load(None, backend=args.backend)
    docs = list(itertools.islice(read_inputs([args.corpus]), args.docs))
    options = ChunkOptions(max_tokens=embedder.max_tokens - 2)
    texts = [p.text for d in docs if isinstance(d, RawDocument) for p in chunk(prepare(d).text, embedder.count_tokens, options)]
    tokens = sum(min(n + 2, embedder.max_tokens) for n in embedder.count_tokens(texts))
    embedder.embed(texts[:32])  # warm-up
    times: dict[str, list[float]] = {"raw encoder": [], "ingest (overlap)": [], "ingest (serial)": []}
    for _ in range(args.rounds):
        t = time.perf_counter()
        embedder.embed(texts)
        times["raw encoder"].append(time.perf_counter() - t)
        for label, overlap in (("ingest (overlap)", True), ("ingest (serial)", False)):
            with tempfile.TemporaryDirectory(prefix="dipsearch-tp-") as tmp:
                t = time.perf_counter()
                store = IndexStore.open(Path(tmp) / "idx", create=True)
                ingestor = Ingestor(store, embedder, overlap=overlap)
                for item in itertools.islice(read_inputs([args.corpus]), args.docs):  # read lazily, as the CLI does
                    ingestor.add(item)
                report = ingestor.finish()
                times[label].append(time.perf_counter() - t)
                store.close()
                assert report.passages == len(texts), (report.passages, len(texts))
            print(label, round(times[label][-1], 1), "s", flush=True)
    raw = statistics.median(times["raw encoder"])
    results, rows = {}, []
    for label, ts in times.items():
        s = statistics.median(ts)
        results[label] = {"seconds": round(s, 2), "passages_per_s": round(len(texts) / s, 1), "tokens_per_s": round(tokens / s),
                          "vs_raw": round(raw / s, 3)}
        rows.append([label, *results[label].values()])
    print(f"\n{len(docs)} documents, {len(texts)} passages, {tokens} tokens, backend {args.backend}, {args.rounds} round(s)\n")
    print(table(rows, ["run", "seconds", "passages/s", "tokens/s", "rate vs raw"]))
    write_json(args.json_out, {"machine": machine(), "backend": args.backend, "documents": len(docs), "passages": len(texts),
                               "tokens": tokens, "results": results})


if __name__ == "__main__":
    main()
