"""An ingest run in its own process, for the kill -9 tests (test_crash.py).

    python -m tests.crash_ingest INDEX INPUT... [--delay S] [--batch N] [--overlap] [--pause-in-save S --marker FILE] [--ready FILE]

Uses the fake embedder (`--delay` seconds per embedding call, so a test can kill it mid-way).
`--pause-in-save` stops inside IndexStore.save, after the vector file is written and before the
manifest is, touching `--marker` first, so a test can kill it exactly there. `--ready` is touched once the
imports are done, just before the index is opened, so a test can time its kill from the start of the ingest
itself rather than from the (load-dependent) start of the interpreter. Prints the report as JSON.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("index")
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--pause-in-save", type=float, default=0.0)
    parser.add_argument("--marker")
    parser.add_argument("--ready")
    parser.add_argument("--overlap", action="store_true", help="embed each batch on a worker thread, as the CLI does")
    args = parser.parse_args()

    import index.store

    if args.pause_in_save:
        write_manifest = index.store.write_json_atomic

        def paused(path, data):
            Path(args.marker).write_text("in save")
            time.sleep(args.pause_in_save)
            write_manifest(path, data)

        index.store.write_json_atomic = paused
    print(json.dumps(run(args.index, args.inputs, delay=args.delay, batch=args.batch, overlap=args.overlap, ready=args.ready)))


def run(index_path, inputs, delay: float = 0.0, batch: int = 4, overlap: bool = False, ready=None) -> dict:
    """The ingest this module runs, callable in-process too (a test resuming a killed index); its report."""
    from corpus.readers import read_inputs
    from index.ingest import ingest
    from index.store import IndexStore
    from tests.fakes import FakeEmbedder

    if ready:
        Path(ready).write_text("importing done")
    store = IndexStore.open(index_path, create=True)
    try:
        report = ingest(store, read_inputs(list(map(str, inputs))), FakeEmbedder(delay=delay), batch_passages=batch, overlap=overlap)
    finally:
        store.close()
    return report.as_dict()


if __name__ == "__main__":
    main()
