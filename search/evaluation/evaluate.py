"""Evaluating the engine on a set: runs per mode (plus any run files given), judgments as qrels, scores."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from search.evaluation import sets
from search.evaluation.errors import EvalSetError
from search.evaluation.keys import PassageRef, current_passages
from search.evaluation.qrels_io import read_run
from search.evaluation.runs import engine_runs, write_runs
from search.evaluation.scoring import ScoreTable, score_runs
from search.retrieval.modes import evaluation_order

EVAL_MODES = evaluation_order()


@dataclass
class EvalReport:
    name: str
    k: int
    per_doc: int
    modes: list[str]
    queries: int  # queries in the set
    stale_judgments: int  # judged passages no longer in the index, or re-chunked: left out
    table: ScoreTable
    run_files: list[str] = field(default_factory=list)
    answers_only: bool = False  # every journalist's question kept out of every run

    def as_dict(self) -> dict:
        return asdict(self)


def current_qrels(store, name: str) -> tuple[dict[str, dict[str, int]], int]:
    """{qid: {passage key: grade}} of the judgments whose passage is still the one judged, and how many are not."""
    judged = sets.judgments(store.db.conn, name)
    now = current_passages(store.db.conn, [j.ref for j in judged])
    qrels: dict[str, dict[str, int]] = {}
    stale = 0
    for j in judged:
        found = now.get(j.ref.key)
        if found is None or not found[1]:
            stale += 1
            continue
        qrels.setdefault(j.qid, {})[j.ref.key] = j.grade
    return qrels, stale


def evaluate_set(store, embedder, name: str, modes=EVAL_MODES, k: int = 100, per_doc: int | None = None,
                 stat_test: str = "student", alpha: float = 0.05, run_files=(), runs_dir: Path | None = None, on_query=None,
                 answers_only: bool = False) -> EvalReport:
    """Run each mode over set `name`, add the TREC run files given (named by file stem), score all with ranx.
    Runs are saved to `runs_dir` as NAME.MODE.trec when given. `answers_only` (sets built by from-qa): no run
    returns any journalist's question, only the rest of the transcripts (answers and opening remarks)."""
    bad = [m for m in modes if m not in EVAL_MODES]
    if bad:
        raise EvalSetError(f"unknown mode(s) {', '.join(bad)}; evaluate any of {', '.join(EVAL_MODES)}")
    if not modes and not run_files:
        raise EvalSetError("nothing to evaluate: give at least one {modes} or {run_files} FILE", fields=("modes", "run_files"))
    conn = store.db.conn
    info = sets.get_set(conn, name)
    exclude_all = []
    if info["kind"] == "parallel":  # the questions of the searched transcripts: always out (search.evaluation.from_parallel)
        exclude_all = [PassageRef(*q) for q in info["params"]["question_passages"]]
    elif answers_only:
        if "question_passages" not in info["params"]:
            raise EvalSetError("{answers_only} needs a set built by `evalset from-qa`; {name!r} is a {kind} set", fields=("answers_only",),
                                   name=name, kind=info["kind"])
        exclude_all = [PassageRef(*q) for q in info["params"]["question_passages"]]
    qrels, stale = current_qrels(store, name)
    extra = {}
    for path in run_files:
        label = Path(path).name.removesuffix(".trec").removesuffix(".run")
        if label in modes or label in extra:
            label = f"{label}-file"
        extra[label] = read_run(Path(path))
    runs = engine_runs(store, embedder, name, list(modes), k=k, per_doc=per_doc, on_query=on_query, exclude_all=exclude_all) if modes else {}
    paths = write_runs(runs, runs_dir, name + (".answers-only" if answers_only else "")) if runs_dir and runs else []
    table = score_runs(qrels, {**runs, **extra}, stat_test=stat_test, alpha=alpha)
    return EvalReport(name, k, per_doc or k, list(modes), len(sets.queries(conn, name)), stale, table, paths, answers_only)
