"""The real `dipsearch` command line in its own process, with the fake embedder (tests/fakes.py).

    python -m tests.cli_runner ingest CORPUS --index IDX [...]

`DIPSEARCH_TEST_DELAY` (seconds per embedding call) slows ingest down so a test can overlap two.
"""
from __future__ import annotations

import os
import sys


def main() -> None:
    from search.cli import app
    from search.cli.app import Runtime
    from tests.fakes import FakeEmbedder

    delay = float(os.environ.get("DIPSEARCH_TEST_DELAY", "0") or 0)
    app(args=sys.argv[1:], prog_name="dipsearch", obj=Runtime(load_embedder=lambda model=None: FakeEmbedder(delay=delay)))


if __name__ == "__main__":
    main()
