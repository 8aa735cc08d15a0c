"""Throughput of each registered encoder (all-MiniLM-L6-v2, e5-multilingual, use-multilingual) on the same
real passages, English and Chinese: passages/s by wall clock and by process CPU time (steadier on a shared
machine), and one short query's latency (median of 20). Encoders run interleaved, twice, best run kept.

    .venv/bin/python benchmarks/multilingual_bench.py --passages 300 --threads 1 --json-out /tmp/ml.json
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import time
from pathlib import Path

MODELS = ("all-MiniLM-L6-v2", "e5-multilingual", "use-multilingual")


def passages(path: Path, n: int) -> list[str]:
    """The first `n` passages (paragraphs of 200–1200 characters) of a corpus file."""
    out: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            out += [p for p in json.loads(line)["text"].split("\n\n") if 200 <= len(p) <= 1200 or (60 <= len(p) <= 400 and "zh" in path.name)]
            if len(out) >= n:
                break
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
    ap.add_argument("--passages", type=int, default=300)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args()
    from index.embedding import load
    from index.embedding.protocol import embed_queries

    texts = {"en": passages(args.corpus / "mfa_pressconf.jsonl.gz", args.passages),
             "zh": passages(args.corpus / "mfa_pressconf_zh.jsonl.gz", args.passages)}
    models = {m: load(m, threads=args.threads) for m in args.models.split(",")}
    results: dict = {m: {} for m in models}
    for _ in range(2):
        for m, e in models.items():
            for lang, batch in texts.items():
                e.embed(batch[:16])
                w, c = time.perf_counter(), time.process_time()
                e.embed(batch)
                wall, cpu = time.perf_counter() - w, time.process_time() - c
                best = results[m].get(lang)
                if best is None or wall < best["wall_s"]:
                    results[m][lang] = {"wall_s": wall, "cpu_s": cpu, "passages_per_s": len(batch) / wall, "passages_per_cpu_s": len(batch) / cpu}
    for m, e in models.items():
        lat = []
        for _ in range(20):
            t = time.perf_counter()
            embed_queries(e, ["What is China's position on the Korean Peninsula?"])
            lat.append(time.perf_counter() - t)
        results[m]["query_ms"] = 1000 * statistics.median(lat)
    print(f"{args.passages} passages per language, {args.threads} thread(s); best of 2 interleaved runs")
    print(f"{'model':20s} {'en p/s':>8s} {'en p/cpu-s':>11s} {'zh p/s':>8s} {'zh p/cpu-s':>11s} {'query ms':>9s}")
    for m, r in results.items():
        print(f"{m:20s} {r['en']['passages_per_s']:8.1f} {r['en']['passages_per_cpu_s']:11.1f} {r['zh']['passages_per_s']:8.1f} "
              f"{r['zh']['passages_per_cpu_s']:11.1f} {r['query_ms']:9.1f}")
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
