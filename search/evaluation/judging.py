"""Judging a pool one candidate at a time: next, record a grade, skip, undo. Every step commits at once,
so a judge can quit at any moment and resume where they left off (terminal and web alike)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from index.ids import is_sqlite_integer
from index.passage_queries import passage_view_at
from search.evaluation import sets
from search.evaluation.errors import EvalSetError
from search.evaluation.keys import PassageRef
from search.evaluation.migrations import ensure_schema

ORIGIN = "judge"


@dataclass
class Candidate:
    candidate_id: int
    set_name: str
    qid: str
    query: str
    ref: PassageRef
    modes: list[str]
    best_rank: int
    text: str | None  # None: the passage is no longer in the index
    changed: bool  # the passage at this position now spans other characters (document re-ingested)
    title: str | None = None
    source: str | None = None
    date: str | None = None
    speaker: str | None = None
    role: str | None = None  # who speaks in the passage (corpus.attribution); None: not attributed
    actor: str | None = None
    highlights: list[tuple[int, int]] = field(default_factory=list)
    done: int = 0  # candidates of the set already judged or skipped
    total: int = 0

    @property
    def key(self) -> str:
        return self.ref.key

    def as_dict(self) -> dict:
        data = asdict(self)
        data["key"] = self.key
        data["highlights"] = [list(s) for s in self.highlights]
        return data


_NEXT = """SELECT c.candidate_id, c.qid, c.doc_id, c.ordinal, c.char_start, c.char_end, c.best_rank, c.modes, q.query
           FROM eval_candidates c JOIN eval_queries q ON q.set_name = c.set_name AND q.qid = c.qid
           LEFT JOIN eval_judgments j ON j.set_name = c.set_name AND j.qid = c.qid AND j.doc_id = c.doc_id AND j.ordinal = c.ordinal
           WHERE c.set_name = ? AND j.qid IS NULL {extra}
           ORDER BY q.position, c.best_rank, c.candidate_id LIMIT 1"""


def next_candidate(store, name: str) -> Candidate | None:
    """The first candidate not yet judged or skipped, in query order then best pooled rank; None when done."""
    conn = store.db.conn
    sets.get_set(conn, name)
    row = conn.execute(_NEXT.format(extra=""), (name,)).fetchone()
    return _candidate(conn, name, row) if row else None


def get_candidate(store, name: str, candidate_id: int) -> Candidate:
    conn = store.db.conn
    ensure_schema(conn)
    if not is_sqlite_integer(candidate_id):  # no SQLite id is that large (binding it would overflow)
        sets.get_set(conn, name)
        raise EvalSetError("no candidate {value} in evaluation set {name!r}; candidate ids are 64-bit integers", value=candidate_id, name=name)
    row = conn.execute(
        """SELECT c.candidate_id, c.qid, c.doc_id, c.ordinal, c.char_start, c.char_end, c.best_rank, c.modes, q.query
           FROM eval_candidates c JOIN eval_queries q ON q.set_name = c.set_name AND q.qid = c.qid
           WHERE c.set_name = ? AND c.candidate_id = ?""",
        (name, candidate_id),
    ).fetchone()
    if row is None:
        sets.get_set(conn, name)  # an unknown set is EvalSetNotFound, not a missing candidate
        raise EvalSetError(f"no candidate {candidate_id} in evaluation set {name!r}; ask for the next one instead")
    return _candidate(conn, name, row)


def record_judgment(store, name: str, candidate_id: int, grade: int) -> None:
    """Grade a candidate 0 (not relevant), 1 (partly relevant) or 2 (relevant); committed at once."""
    if grade not in sets.GRADES:
        raise EvalSetError(f"grade {grade!r} is not one of 0 (not relevant), 1 (partly), 2 (relevant)")
    cand = get_candidate(store, name, candidate_id)
    with store.db.transaction() as conn:
        sets.set_judgment(conn, name, cand.qid, cand.ref, grade, ORIGIN)


def skip_candidate(store, name: str, candidate_id: int) -> None:
    """Leave a candidate for later; `revisit_skipped` brings skipped ones back."""
    cand = get_candidate(store, name, candidate_id)
    with store.db.transaction() as conn:
        sets.set_judgment(conn, name, cand.qid, cand.ref, None, ORIGIN)


def undo_last(store, name: str) -> Candidate | None:
    """Take back the latest judgment or skip made by judging (not imported ones); returns that candidate, now open again."""
    conn = store.db.conn
    sets.get_set(conn, name)
    row = conn.execute("SELECT qid, doc_id, ordinal FROM eval_judgments WHERE set_name = ? AND origin = ? ORDER BY seq DESC LIMIT 1",
                       (name, ORIGIN)).fetchone()
    if row is None:
        return None
    with store.db.transaction():
        conn.execute("DELETE FROM eval_judgments WHERE set_name = ? AND qid = ? AND doc_id = ? AND ordinal = ?",
                     (name, row["qid"], row["doc_id"], row["ordinal"]))
    cand = conn.execute("SELECT candidate_id FROM eval_candidates WHERE set_name = ? AND qid = ? AND doc_id = ? AND ordinal = ?",
                        (name, row["qid"], row["doc_id"], row["ordinal"])).fetchone()
    return get_candidate(store, name, cand[0]) if cand else None


def revisit_skipped(store, name: str) -> int:
    """Reopen every skipped candidate; returns how many."""
    sets.get_set(store.db.conn, name)
    with store.db.transaction() as conn:
        return conn.execute("DELETE FROM eval_judgments WHERE set_name = ? AND grade IS NULL", (name,)).rowcount


def progress(store, name: str) -> dict:
    s = sets.summary(store.db.conn, name)
    return {"candidates": s["candidates"], "judged": s["judged"], "skipped": s["skipped"], "remaining": s["unjudged_candidates"]}


def _candidate(conn, name: str, row) -> Candidate:
    from search.highlight import highlight_spans

    ref = PassageRef(row["doc_id"], row["ordinal"], row["char_start"], row["char_end"])
    current = passage_view_at(conn, ref.doc_id, ref.ordinal)
    prog = progress_counts(conn, name)
    cand = Candidate(row["candidate_id"], name, row["qid"], row["query"], ref, row["modes"].split(","), row["best_rank"],
                     text=None, changed=False, done=prog[0], total=prog[1])
    if current is not None:
        cand.text = current.text
        cand.changed = (current.char_start, current.char_end) != (ref.char_start, ref.char_end)
        cand.title, cand.source, cand.date, cand.speaker = current.title, current.source, current.date, current.speaker
        cand.role, cand.actor = current.role, current.actor
        cand.highlights = highlight_spans(current.text, row["query"])
    return cand


def progress_counts(conn, name: str) -> tuple[int, int]:
    """(candidates judged or skipped, all candidates) of a set."""
    total = conn.execute("SELECT count(*) FROM eval_candidates WHERE set_name = ?", (name,)).fetchone()[0]
    done = conn.execute(
        """SELECT count(*) FROM eval_candidates c JOIN eval_judgments j ON j.set_name = c.set_name AND j.qid = c.qid
           AND j.doc_id = c.doc_id AND j.ordinal = c.ordinal WHERE c.set_name = ?""",
        (name,),
    ).fetchone()[0]
    return done, total
