#!/usr/bin/env python
"""Bounded load test of `dipsearch serve`: N concurrent clients hit the search API for a fixed time.

    python benchmarks/load_test.py --index /tmp/web-mfa [--clients 8] [--duration 60] [--json-out r.json]

Starts `dipsearch serve` on 127.0.0.1 (loopback only; never another address) at a free port over
the given index (use a copy: the test only reads, but a shared index should not carry a server),
waits until the model is loaded, warms up, then runs `--clients` threads, each with its own HTTP
connection, sending search requests back to back for `--duration` seconds. Queries are varied:
topics of our own writing, in all three modes, some with date or source filters. It stops by
itself (the clients stop at the deadline; the server is terminated at the end, whatever happens)
and prints requests/s, latency percentiles and errors (any status but 200, or a failed request).
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[1]

TOPICS = [
    "sanctions on grain exports", "peaceful settlement of disputes through dialogue", "climate change cooperation",
    "nuclear non-proliferation", "territorial integrity and sovereignty", "trade war and tariffs", "vaccine cooperation",
    "humanitarian aid to refugees", "South China Sea", "Belt and Road Initiative", "Taiwan question", "Korean peninsula",
    "United Nations Security Council resolution", "human rights dialogue", "counter-terrorism cooperation",
    "visit of the foreign minister", "bilateral relations", "interference in internal affairs", "World Trade Organization",
    "cyber security", "outer space arms race", "Iran nuclear deal", "Middle East peace process", "Ukraine crisis",
    "Afghanistan reconstruction", "Africa development cooperation", "Olympic Games", "pandemic origins tracing",
    "foreign journalists", "consular protection of citizens abroad", "maritime rights", "G20 summit",
    "BRICS cooperation", "multilateralism", "Cold War mentality", "economic globalization", "poverty reduction",
    "high-speed rail project", "students studying abroad", "Tibet and Xinjiang",
]


def requests_plan(seed: int, stats: dict):
    """An endless, varied sequence of (label, params) for /api/search. Filters are drawn from the
    index's own stats (its date range and sources), so filtered queries find something."""
    rng = random.Random(seed)
    lo, hi = stats.get("date_range") or (None, None)
    years = list(range(int(lo[:4]), int(hi[:4]) + 1)) if lo and hi else [2020]
    sources = [s for s in stats.get("sources", {}) if s != "unknown"] or [""]
    while True:
        q = rng.choice(TOPICS)
        roll = rng.random()
        if roll < 0.6:
            yield "hybrid", {"q": q, "k": 10}
        elif roll < 0.75:
            yield "dense", {"q": q, "mode": "dense", "k": 10}
        elif roll < 0.9:
            yield "lexical", {"q": q, "mode": "lexical", "k": 10}
        else:
            year, month = rng.choice(years), rng.randint(1, 12)
            source = " ".join(rng.choice(sources).split()[:2])
            yield "hybrid+filters", {"q": q, "k": 10, "since": f"{year}-{month:02d}", "until": str(year), "source": source}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(index: Path, port: int, model: str | None, log):
    cmd = [sys.executable, "-c", "from search.cli import main; main()", "serve", "--index", str(index), "--host", HOST, "--port", str(port)]
    if model:
        cmd += ["--model", model]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "PYTHONPATH": str(REPO)}
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(client, server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode} before it was ready (see its log)")
        try:
            if client.get("/api/stats", timeout=2).status_code == 200:
                return
        except Exception:
            pass
        time.sleep(0.25)
    raise SystemExit(f"the server was not ready after {timeout:.0f} s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def client_loop(base: str, seed: int, stats: dict, deadline: float, out: list, errors: list) -> None:
    import httpx

    plan = requests_plan(seed, stats)
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.monotonic() < deadline:
            label, params = next(plan)
            start = time.perf_counter()
            try:
                r = client.get("/api/search", params=params)
                ok = r.status_code == 200 and "results" in r.json()
                found = len(r.json()["results"]) if ok else 0
                detail = None if ok else f"{r.status_code}: {r.text[:200]}"
            except Exception as exc:  # a failed request counts as an error, the run goes on
                ok, found, detail = False, 0, f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - start
            out.append((label, elapsed, ok, found))
            if not ok:
                errors.append(detail)


def summarise(samples: list, wall: float) -> dict:
    def block(rows):
        lat = [s for _, s, _, _ in rows]
        return {"requests": len(rows), "errors": sum(1 for _, _, ok, _ in rows if not ok),
                "empty_results": sum(1 for _, _, ok, found in rows if ok and not found),
                "p50_ms": round(percentile(lat, 0.50) * 1000, 1), "p95_ms": round(percentile(lat, 0.95) * 1000, 1),
                "p99_ms": round(percentile(lat, 0.99) * 1000, 1), "max_ms": round(max(lat) * 1000, 1) if lat else None}

    total = block(samples)
    total["requests_per_s"] = round(len(samples) / wall, 1)
    by_mode = {label: block([s for s in samples if s[0] == label]) for label in sorted({s[0] for s in samples})}
    return {"total": total, "by_kind": by_mode}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True, type=Path, help="index folder to serve (a copy)")
    ap.add_argument("--model", help="model folder, if the index's own should not be used")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load (after warm-up)")
    ap.add_argument("--warmup", type=int, default=20, help="requests sent before timing starts")
    ap.add_argument("--json-out")
    args = ap.parse_args()
    if not 1 <= args.clients <= 64 or not 1 <= args.duration <= 600:
        raise SystemExit("--clients must be 1-64 and --duration 1-600 seconds")
    import httpx

    port = free_port()
    base = f"http://{HOST}:{port}"
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"dipsearch-load-{port}.log"
    with open(log_path, "wb") as log:
        server = start_server(args.index, port, args.model, log)
        try:
            with httpx.Client(base_url=base) as probe:
                wait_ready(probe, server, timeout=300)
                stats = probe.get("/api/stats").json()
                plan = requests_plan(-1, stats)
                for _ in range(args.warmup):
                    probe.get("/api/search", params=next(plan)[1], timeout=60)
            load_before = os.getloadavg()
            samples: list = []
            errors: list = []
            start = time.monotonic()
            deadline = start + args.duration
            threads = [threading.Thread(target=client_loop, args=(base, seed, stats, deadline, samples, errors), daemon=True)
                       for seed in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(args.duration + 60)
            wall = time.monotonic() - start
            load_after = os.getloadavg()
        finally:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
    result = {
        "index": str(args.index), "documents": stats["documents"], "passages": stats["passages"], "model": stats["model"],
        "clients": args.clients, "duration_s": round(wall, 1), **summarise(samples, wall),
        "first_errors": list(itertools.islice(errors, 5)),
        "machine": {"cpus": os.cpu_count(), "loadavg_before": [round(x, 2) for x in load_before],
                    "loadavg_after": [round(x, 2) for x in load_after], "python": platform.python_version()},
        "server_log": str(log_path),
    }
    t = result["total"]
    print(f"{args.clients} clients, {wall:.1f} s, {stats['documents']:,} documents / {stats['passages']:,} passages ({stats['model']})")
    print("| kind | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | no results |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| all | {t['requests']} | {t['requests_per_s']} | {t['p50_ms']} | {t['p95_ms']} | {t['p99_ms']} | {t['max_ms']} | {t['errors']} | {t['empty_results']} |")
    for kind, b in result["by_kind"].items():
        print(f"| {kind} | {b['requests']} | | {b['p50_ms']} | {b['p95_ms']} | {b['p99_ms']} | {b['max_ms']} | {b['errors']} | {b['empty_results']} |")
    print(f"load average before {result['machine']['loadavg_before']}, after {result['machine']['loadavg_after']} on {os.cpu_count()} CPUs")
    if errors:
        print("first errors:", *result["first_errors"], sep="\n  ")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=2) + "\n")
    sys.exit(1 if t["errors"] else 0)


if __name__ == "__main__":
    main()
