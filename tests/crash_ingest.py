"""An ingest run in its own process, for the kill -9 tests (test_crash.py).

    python -m tests.crash_ingest INDEX INPUT... [--delay S] [--batch N] [--overlap] [--pause-in-save S --marker FILE]

Uses the fake embedder (`--delay` seconds per embedding call, so a test can kill it mid-way).
`--pause-in-save` stops inside IndexStore.save, after the vector file is written and before the
manifest is, touching `--marker` first, so a test can kill it exactly there. Prints the report as JSON.
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
    parser.add_argument("--overlap", action="store_true", help="embed each batch on a worker thread, as the CLI does")
    args = parser.parse_args()

    import index.store
    from corpus.readers import read_inputs
    from index.ingest import ingest
    from tests.fakes import FakeEmbedder

    if args.pause_in_save:
        write_manifest = index.store.write_json_atomic

        def paused(path, data):
            Path(args.marker).write_text("in save")
            time.sleep(args.pause_in_save)
            write_manifest(path, data)

        index.store.write_json_atomic = paused
    store = index.store.IndexStore.open(args.index, create=True)
    report = ingest(store, read_inputs(args.inputs), FakeEmbedder(delay=args.delay), batch_passages=args.batch, overlap=args.overlap)
    print(json.dumps(report.as_dict()))


if __name__ == "__main__":
    main()
