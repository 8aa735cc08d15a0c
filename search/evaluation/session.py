"""The judging loop: show a candidate, read one key, act. Keys and display are injected, so a terminal,
a test script or any other front end drives the same loop."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from search.evaluation import judging

KEYS_HELP = "0 not relevant · 1 partly · 2 relevant · s skip · u undo · q quit"
QUIT_KEYS = {"q", "Q", "", "\x03", "\x04", "\x1b"}  # q, end of input, Ctrl-C, Ctrl-D, Esc


@dataclass
class SessionSummary:
    judged: int = 0
    skipped: int = 0
    undone: int = 0
    finished: bool = False  # every candidate judged (skipped ones aside)
    remaining: int = 0
    skipped_total: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def run_session(store, name: str, read_key: Callable[[], str], show: Callable[[judging.Candidate, str], None]) -> SessionSummary:
    """Judge until every candidate is done or the judge quits. `show(candidate, message)` displays one
    candidate with a note about the last key; `read_key()` returns one key ('' at end of input)."""
    summary = SessionSummary()
    message = ""
    while True:
        cand = judging.next_candidate(store, name)
        if cand is None:
            summary.finished = True
            break
        show(cand, message)
        key = read_key()
        if key in QUIT_KEYS:
            break
        if key in ("0", "1", "2"):
            judging.record_judgment(store, name, cand.candidate_id, int(key))
            summary.judged += 1
            message = f"{cand.qid} / {cand.key}: graded {key}"
        elif key in ("s", "S"):
            judging.skip_candidate(store, name, cand.candidate_id)
            summary.skipped += 1
            message = f"{cand.qid} / {cand.key}: skipped"
        elif key in ("u", "U"):
            undone = judging.undo_last(store, name)
            if undone is None:
                message = "nothing to undo"
            else:
                summary.undone += 1
                message = f"undid {undone.qid} / {undone.key}"
        else:
            message = f"key {key!r} is not one of the judge's keys: {KEYS_HELP}"
    prog = judging.progress(store, name)
    summary.remaining, summary.skipped_total = prog["remaining"], prog["skipped"]
    return summary
