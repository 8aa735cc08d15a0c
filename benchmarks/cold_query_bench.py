"""Cold CLI query time per backend: a fresh `dipsearch search` process, start to first result.

Each run is a new Python process (`python -m search.cli search ... --json`), timed from spawn to
the first line of results on stdout, and asked whether torch got imported. Runs interleave the
backends (torch, onnx, onnx-int8, lexical) so machine noise hits them alike. The int8 run needs an
index of int8 vectors; with --int8-index a copy of --index whose recorded backend is int8 can be
given (same vectors, so the timing is right and the ranking slightly off), else int8 is skipped.

    .venv/bin/python benchmarks/cold_query_bench.py --index /tmp/perf-mfa --runs 5 --json-out /tmp/cold.json
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchcommon import REPO, latency_summary, machine, table, write_json  # noqa: E402

PROBE = """
import sys, runpy
sys.argv = ["dipsearch"] + sys.argv[1:]
try:
    from search.cli import main
    main()
except SystemExit:
    pass
finally:
    print("HEAVY", sorted(m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules), file=sys.stderr)
"""


def one_run(args: list[str], env: dict) -> tuple[float, float, list[str]]:
    """(seconds to first stdout line, seconds to exit, heavy modules imported)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", PROBE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
    first = proc.stdout.readline()
    t_first = time.perf_counter() - start
    _, err = proc.communicate()
    t_exit = time.perf_counter() - start
    if not first.strip():
        raise SystemExit(f"no result from {' '.join(args)}:\n{err[-2000:]}")
    heavy = next((line for line in err.splitlines() if line.startswith("HEAVY")), "HEAVY []")[6:]
    return t_first, t_exit, json.loads(heavy.replace("'", '"'))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", required=True)
    ap.add_argument("--int8-index")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--query", default="China's position on the South China Sea arbitration")
    ap.add_argument("--json-out")
    args = ap.parse_args()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "PYTHONPATH": str(REPO)}
    cases = {"torch": [args.index, "torch"], "onnx": [args.index, "onnx"], "lexical (no model)": [args.index, None]}
    if args.int8_index:
        cases["onnx-int8"] = [args.int8_index, "onnx-int8"]
    for index, backend in cases.values():  # warm the page cache and the ONNX export cache once
        one_run(["search", args.query, "--index", index, "--json", *(["--backend", backend] if backend else ["--mode", "lexical"])], env)
    times = {c: ([], [], None) for c in cases}
    for _ in range(args.runs):
        for case, (index, backend) in cases.items():
            extra = ["--backend", backend] if backend else ["--mode", "lexical"]
            first, done, heavy = one_run(["search", args.query, "--index", index, "--json", *extra], env)
            times[case][0].append(first)
            times[case][1].append(done)
            times[case] = (times[case][0], times[case][1], heavy)
    results, rows = {}, []
    for case, (first, done, heavy) in times.items():
        s = latency_summary(first)
        results[case] = {"first_result": s, "exit_p50_ms": latency_summary(done)["p50_ms"], "heavy_imports": heavy}
        rows.append([case, s["p50_ms"], s["p95_ms"], results[case]["exit_p50_ms"], ", ".join(heavy) or "none"])
    print(table(rows, ["backend", "first result p50 ms", "p95 ms", "exit p50 ms", "torch-family imports"]))
    write_json(args.json_out, {"machine": machine(), "index": args.index, "runs": args.runs, "query": args.query, "results": results})


if __name__ == "__main__":
    main()
