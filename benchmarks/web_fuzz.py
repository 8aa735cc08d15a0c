"""Schemathesis against the web app, in-process, with many more examples than `make test` runs.

The same run as tests/test_web_fuzz.py: schemathesis' engine with all its phases (examples, coverage,
fuzzing, stateful) and default checks (no server error, statuses/content types/bodies as documented,
invalid input rejected, valid input accepted), valid and invalid inputs, derandomized; `--examples` per
operation, phase and mode (the test uses 20). The index
is the web tests' invented corpus with the deterministic fake embedder (talking points and an evaluation
set included), built in a temporary folder; `--index` fuzzes an existing index instead (lexical only:
no model is loaded, so dense/hybrid requests answer 400, which is documented).

    .venv/bin/python benchmarks/web_fuzz.py --examples 500 --json-out /tmp/web_fuzz.json

Exit status: 0 when no check failed, 1 otherwise (the first failure of each check per operation is printed
with a curl command that reproduces it).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchcommon import REPO, write_json  # noqa: E402

if str(REPO) not in sys.path:
    sys.path.insert(1, str(REPO))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=300, help="generated requests per operation, phase and mode")
    ap.add_argument("--index", type=Path, help="fuzz this existing index (lexical only) instead of the invented corpus")
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args(argv)

    from tests.test_web_fuzz import fake_index, fuzz_schema, run_engine

    with tempfile.TemporaryDirectory(prefix="web-fuzz-") as tmp:
        if args.index:
            from index.store import IndexStore

            store, embedder = IndexStore.open(args.index), None
        else:
            store, embedder = fake_index(Path(tmp))
        started = time.perf_counter()
        report = run_engine(fuzz_schema(store, embedder, args.examples))
        seconds = time.perf_counter() - started
        store.close()
    for label, n in report.requests.items():
        failing = sorted(check for op, check in report.failures if op == label)
        print(f"{label:45} {n:7} requests  {', '.join(failing) or 'all checks pass'}")
    total = sum(report.requests.values())
    server_errors = [k for k in report.failures if k[1] == "not_a_server_error"]
    print(f"\n{total} requests over {len(report.requests)} operations in {seconds:.1f} s (phases: {', '.join(sorted(report.phases))}): "
          f"{len(server_errors)} operations with server errors, {len(report.failures)} failing checks, {len(report.errors)} errors")
    for (label, check), text in report.failures.items():
        print(f"\n{label} -- {check}:\n{text}")
    for error in report.errors:
        print("\nerror: " + error)
    if args.json_out:
        write_json(args.json_out, {"examples": args.examples, "requests": total, "seconds": round(seconds, 1),
                                   "phases": sorted(report.phases), "per_operation": report.requests,
                                   "failures": [{"operation": op, "check": c, "first": t} for (op, c), t in report.failures.items()],
                                   "errors": report.errors})
    return 1 if report.failures or report.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
