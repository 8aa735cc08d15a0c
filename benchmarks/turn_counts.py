"""How many question/answer turns the transcript parser pairs, and how many it drops by reason, on a corpus.

The count from-qa starts from (before its passage-level checks). Documents are read and cleaned as ingest does.

    python benchmarks/turn_counts.py ../shared/corpus/mfa_pressconf.jsonl.gz [--parser path/to/turns.py]
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections import Counter

from corpus.documents import RawDocument
from corpus.prepare import prepare
from corpus.readers import read_inputs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--parser", help="a turns.py to load instead of corpus.turns (to compare versions)")
    args = ap.parse_args()
    if args.parser:
        spec = importlib.util.spec_from_file_location("other_turns", args.parser)
        module = importlib.util.module_from_spec(spec)
        sys.modules["other_turns"] = module
        spec.loader.exec_module(module)
        find_turns = module.find_turns
    else:
        from corpus.turns import find_turns
    docs = [prepare(r) for r in read_inputs(args.paths) if isinstance(r, RawDocument)]
    people = {d.speaker for d in docs if d.speaker}
    started = time.perf_counter()
    paired, with_turns, follow_ups, dropped = 0, 0, 0, Counter()
    for doc in docs:
        scan = find_turns(doc.text, people)
        paired += len(scan.turns)
        with_turns += bool(scan.turns)
        follow_ups += sum(t.kind == "follow-up" for t in scan.turns)
        dropped.update(scan.dropped)
    took = time.perf_counter() - started
    print(f"documents {len(docs)}  with turns {with_turns}  turns paired {paired}  follow-ups {follow_ups}  "
          f"dropped {sum(dropped.values())} {dict(dropped.most_common())}  ({took:.1f} s)")


if __name__ == "__main__":
    main()
