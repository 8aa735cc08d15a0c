#!/usr/bin/env python
"""Ingest throughput and memory of dipsearch, per phase, plus the raw encoder rate and query latency.

    python benchmarks/ingest_bench.py ../shared/corpus/mfa_pressconf.jsonl.gz [--limit 100] [--json-out r.json]

The run drives the real pipeline: `corpus.readers.read_inputs` feeds `index.ingest.Ingestor`
(`add` per document, `finish` at the end) into a fresh index, with the real embedder. Phases are
timed by wrapping the library's own functions for the duration of the run, never by copying them:

    read     next() on read_inputs (file reading, gzip, JSON, record -> RawDocument)
    clean    corpus.prepare.prepare as Ingestor.add calls it (normalise, de-debris, metadata)
    dedupe   the rest of Ingestor.add (fingerprint, record hash, lookups of stored hashes)
    chunk    corpus.chunking.chunk with the embedder's count_tokens (tokenizer calls included)
    embed    embedder.embed as Ingestor.flush calls it (batches of >= 256 passages)
    index    Ingestor._commit: SQLite rows + FTS5 + vectors in one transaction, then FAISS add
    commit   IndexStore.save from Ingestor.finish: FAISS file write + fsync + manifest

Times are exclusive (a phase nested in another is not counted twice). By default the Ingestor runs
sequentially (overlap=False) so the phases add up to the wall time; with --overlap it embeds on a
worker thread as `dipsearch ingest` does, and the embed time then overlaps the others. Peak memory per phase is
the highest process RSS seen while the phase ran (sampled every 10 ms from /proc/self/statm and at
every phase boundary); the process-wide high-water mark (getrusage ru_maxrss) is reported too.
After the ingest, in the same process and with the same warm model, the raw encoder rate is
measured by `embedder.embed` on a fixed sample of the passages just produced, then query latency
(see query_bench.py) unless --no-queries.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchcommon import PhaseClock, machine, max_rss_bytes, mib, rss_bytes, table, write_json

PHASES = ("read", "clean", "dedupe", "chunk", "embed", "index", "commit")


def run_ingest(corpus: Path, index_dir: Path, embedder, limit: int | None, clock: PhaseClock, overlap: bool) -> dict:
    """Ingest `corpus` (first `limit` documents) into `index_dir` through the real Ingestor, timed."""
    import index.ingest as ingest_module
    from corpus.readers import read_inputs
    from index.ingest import Ingestor
    from index.store import IndexStore

    originals = {"prepare": ingest_module.prepare, "chunk": ingest_module.chunk}
    if not callable(getattr(Ingestor, "_commit", None)):
        raise SystemExit("index.ingest.Ingestor has no _commit() any more; update benchmarks/ingest_bench.py")
    sample: list = []  # every passage text with its token count, for the raw encoder sample

    def chunk_counter(args, kwargs, passages):
        clock.count("chunk", passages=len(passages), tokens=sum(p.n_tokens for p in passages))
        sample.extend((p.text, p.n_tokens) for p in passages)

    def embed_counter(args, kwargs, vectors):
        clock.count("embed", passages=len(vectors))

    def commit_counter(args, kwargs, result):
        clock.count("index", passages=sum(len(item.passages) for item in args[0]))

    ingest_module.prepare = clock.wrap("clean", originals["prepare"], lambda a, k, r: clock.count("clean", documents=1))
    ingest_module.chunk = clock.wrap("chunk", originals["chunk"], chunk_counter)
    store = IndexStore.open(index_dir, create=True)
    try:
        embedder.embed = clock.wrap("embed", embedder.embed, embed_counter)
        store.save = clock.wrap("commit", store.save)
        t0 = time.perf_counter()
        ingestor = Ingestor(store, embedder, overlap=overlap)
        ingestor._commit = clock.wrap("index", ingestor._commit, commit_counter)
        add = clock.wrap("dedupe", ingestor.add)
        items = read_inputs([corpus])
        for i, item in enumerate(clock.wrap_iter("read", items, "documents")):
            add(item)
            if limit is not None and i + 1 >= limit:
                break
        report = ingestor.finish()
        wall = time.perf_counter() - t0
        counts = store.db.counts()
    finally:
        ingest_module.prepare, ingest_module.chunk = originals["prepare"], originals["chunk"]
        del embedder.embed  # back to the class's method
        store.close()
    for phase in ("clean", "chunk", "embed", "index", "commit"):
        if not clock.calls.get(phase):
            raise SystemExit(f"phase {phase!r} was never timed: index/ingest.py changed; update benchmarks/ingest_bench.py")
    return {"wall_s": wall, "report": report.as_dict(), "counts": counts, "sample": sample}


def raw_encoder_rate(embedder, sample: list, n: int) -> dict:
    """embedder.embed on a fixed, evenly spaced sample of `n` ingested passages (same batching)."""
    if not sample:
        return {}
    step = max(1, len(sample) // n)
    chosen = sample[::step][:n]
    texts = [t for t, _ in chosen]
    tokens = sum(k for _, k in chosen)
    embedder.embed(texts[:32])  # warm
    t0, c0 = time.perf_counter(), time.process_time()
    embedder.embed(texts)
    s, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"passages": len(texts), "tokens": tokens, "seconds": round(s, 3), "cpu_seconds": round(cpu, 3), "passages_per_s": round(len(texts) / s, 2),
            "tokens_per_s": round(tokens / s, 1), "batch_size": getattr(embedder, "batch_size", None)}


def phase_rows(clock: PhaseClock) -> tuple[list[dict], list[list]]:
    docs = clock.items.get("read", {}).get("documents", 0)
    results, rows = [], []
    for phase in PHASES + ("read+clean",):
        if phase == "read+clean":  # the first phase: read, clean and the duplicate check
            s = sum(clock.seconds.get(ph, 0.0) for ph in ("read", "clean", "dedupe"))
            cpu = sum(clock.cpu_seconds.get(ph, 0.0) for ph in ("read", "clean", "dedupe"))
            peak = max((clock.peak.get(ph, 0) for ph in ("read", "clean", "dedupe")), default=0) or None
        else:
            s, peak, cpu = clock.seconds.get(phase, 0.0), clock.peak.get(phase), clock.cpu_seconds.get(phase, 0.0)
        items = dict(clock.items.get(phase, {}))
        if phase in ("read", "dedupe", "read+clean"):
            items = {"documents": docs}
        if phase == "embed":
            items["tokens"] = clock.items.get("chunk", {}).get("tokens", 0)
        rates = {f"{k}_per_s": round(v / s, 1) if s else None for k, v in items.items()}
        results.append({"phase": phase, "seconds": round(s, 3), "cpu_seconds": round(cpu, 3), "calls": clock.calls.get(phase, 0), **items, **rates, "peak_rss_mib": mib(peak)})
        rate_text = ", ".join(f"{v} {k[:-6]}/s" for k, v in rates.items() if v is not None)
        rows.append([phase, f"{s:.2f}", f"{cpu:.2f}", ", ".join(f"{v} {k}" for k, v in items.items()), rate_text, mib(peak)])
    return results, rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpus", type=Path, help="JSONL(.gz) corpus, e.g. ../shared/corpus/mfa_pressconf.jsonl.gz")
    p.add_argument("--limit", type=int, default=None, help="ingest only the first N documents (default: all)")
    p.add_argument("--index", type=Path, default=None, help="an empty or new folder to build into (default: a temporary folder, deleted after)")
    p.add_argument("--model", type=Path, default=None, help="model folder (default: the bundled all-MiniLM-L6-v2)")
    p.add_argument("--backend", default=None, help="encoder backend as in `dipsearch ingest --backend` (default torch)")
    p.add_argument("--overlap", action="store_true",
                   help="embed on a worker thread while reading/chunking, as `dipsearch ingest` does; phase times then overlap")
    p.add_argument("--raw-sample", type=int, default=512, help="passages in the raw encoder sample (default 512)")
    p.add_argument("--queries", type=int, default=150, help="distinct questions for the latency run (default 150)")
    p.add_argument("--no-queries", action="store_true", help="skip the query latency run")
    p.add_argument("--json-out", default=None, help="write the results as JSON to this file")
    args = p.parse_args(argv)
    if not args.corpus.exists():
        p.error(f"{args.corpus}: no such file")
    if args.index is not None and args.index.exists() and any(args.index.iterdir()):
        p.error(f"--index {args.index} is not empty; the benchmark needs a fresh index (unchanged documents would be skipped)")

    env_before = machine()
    print(f"load average before: {env_before['loadavg_1_5_15']} on {env_before['cpus']} CPUs")
    rss_start = rss_bytes()
    t0 = time.perf_counter()
    from index.embedding import load

    embedder = load(args.model, backend=args.backend or "torch")
    load_s = time.perf_counter() - t0
    rss_model = rss_bytes()
    index_dir = args.index or Path(tempfile.mkdtemp(prefix="dipsearch-bench-"))
    clock = PhaseClock().start()
    try:
        ingest = run_ingest(args.corpus, index_dir, embedder, args.limit, clock, args.overlap)
    finally:
        clock.stop()
    env_after_ingest = machine()
    docs, passages = ingest["counts"]["documents"], ingest["counts"]["passages"]
    results, rows = phase_rows(clock)
    raw = raw_encoder_rate(embedder, ingest.pop("sample"), args.raw_sample)
    wall = ingest["wall_s"]
    embed = next(r for r in results if r["phase"] == "embed")
    out = {
        "benchmark": "ingest", "corpus": str(args.corpus), "limit_documents": args.limit, "model": embedder.name,
        "backend": getattr(embedder, "backend", None), "overlap": args.overlap,
        "model_load_s": round(load_s, 2), "rss_at_start_mib": mib(rss_start), "rss_after_model_load_mib": mib(rss_model),
        "ingest": {"wall_s": round(wall, 2), "documents": docs, "passages": passages,
                   "documents_per_s": round(docs / wall, 2), "passages_per_s": round(passages / wall, 2),
                   "report": {k: v for k, v in ingest["report"].items() if k not in ("notices",)} | {"notices": len(ingest["report"]["notices"])}},
        "phases": results, "phase_sum_s": round(sum(clock.seconds.get(ph, 0.0) for ph in PHASES), 2),
        "raw_encoder": raw,
        "end_to_end_vs_raw": round(passages / wall / raw["passages_per_s"], 3) if raw else None,
        "embed_in_ingest_vs_raw": round(embed.get("passages_per_s", 0) / raw["passages_per_s"], 3) if raw and embed.get("passages_per_s") else None,
        "max_rss_mib": mib(max_rss_bytes()), "machine_before": env_before, "machine_after_ingest": env_after_ingest,
    }
    print(f"\nIngest of {docs} documents -> {passages} passages in {wall:.1f} s: {passages / wall:.1f} passages/s, "
          f"{docs / wall:.2f} documents/s (model load {load_s:.1f} s not included; RSS after load {mib(rss_model)} MiB)")
    print(table(rows, ["phase", "wall s", "CPU s", "items", "rate (per wall s)", "peak RSS MiB"]))
    print(f"sum of phases {out['phase_sum_s']} s of {wall:.1f} s wall{' (embedding overlapped)' if args.overlap else ''}; "
          f"process peak RSS (ru_maxrss) {out['max_rss_mib']} MiB")
    if raw:
        print(f"\nRaw encoder (embedder.embed, {raw['passages']} ingested passages, batch {raw['batch_size']}, warm): "
              f"{raw['passages_per_s']} passages/s, {raw['tokens_per_s']} tokens/s ({raw['cpu_seconds']} CPU s in {raw['seconds']} s)")
        print(f"end-to-end ingest rate / raw encoder rate = {out['end_to_end_vs_raw']}; embed phase / raw = {out['embed_in_ingest_vs_raw']}")
    print(f"load average after ingest: {env_after_ingest['loadavg_1_5_15']}")

    if not args.no_queries:
        from index.store import IndexStore
        from query_bench import build_query_sets, print_query_results, run_query_bench

        store = IndexStore.open(index_dir)
        query_sets = build_query_sets(args.corpus, args.queries, args.limit)
        out["queries"] = run_query_bench(store, embedder, query_sets)
        store.close()
        out["machine_after_queries"] = machine()
        print_query_results(out["queries"])
        print(f"load average after queries: {out['machine_after_queries']['loadavg_1_5_15']}")
    if args.index is None:
        shutil.rmtree(index_dir, ignore_errors=True)
    write_json(args.json_out, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
