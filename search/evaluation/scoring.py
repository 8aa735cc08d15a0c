"""Scoring runs against judgments with ranx: nDCG@10, MRR@10, Recall@10/100, judged@10, and paired
significance tests between every two runs (`significance.py`).

ranx's metric kernels are fed arrays we build (see `_aligned_inputs`) rather than its Qrels/Run objects: those pair
judgments with rankings by position in two separately sorted dictionaries, and key passages by a string hash cast to
float, neither of which this module can check. One full-set CLI run printed scores about 6x too low while its
saved runs scored correctly; the numbers looked like rankings paired with neighbouring queries' judgments."""
from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass, field

from search.evaluation.errors import EvalSetError
from search.evaluation.significance import TESTS

STAT_TESTS = tuple(TESTS)

METRICS = ("ndcg@10", "mrr@10", "recall@10", "recall@100")

Qrels = dict[str, dict[str, int]]
Run = dict[str, list[tuple[str, float]]]


@dataclass
class ScoreTable:
    runs: list[str]
    scores: dict[str, dict[str, float]]  # run -> metric -> mean over scored queries
    p_values: dict[str, dict[str, dict[str, float | None]]]  # metric -> run -> other run -> p (None: identical)
    beats: dict[str, dict[str, list[str]]]  # run -> metric -> runs it is significantly better than
    queries: int
    stat_test: str
    alpha: float
    metrics: list[str] = field(default_factory=lambda: list(METRICS) + ["judged@10"])

    def as_dict(self) -> dict:
        return asdict(self)


def judged_at(qrels: Qrels, run: Run, k: int = 10) -> float:
    """Mean over the judged queries of the share of the top k that carries a judgment (any grade)."""
    shares = []
    for qid, judged in qrels.items():
        top = [key for key, _ in run.get(qid, [])[:k]]
        shares.append(sum(key in judged for key in top) / k)
    return sum(shares) / len(shares) if shares else 0.0


def _aligned_inputs(qrels: Qrels, runs: dict[str, Run]):
    """What ranx's metric kernels read: per query, rows of (passage number, grade) best grade first, and per run
    rows of (passage number, score) best first, both lists in one query order. Built here, with passages numbered
    by us, so judgments and rankings line up by construction and no passage key is hashed to a float."""
    import numpy as np
    from numba.typed import List as TypedList

    numbers: dict[str, int] = {}

    def rows(pairs) -> "np.ndarray":
        return np.array([(numbers.setdefault(key, len(numbers) + 1), value) for key, value in pairs], dtype=np.float64).reshape(-1, 2)

    def best_first(pairs) -> list[tuple[str, float]]:
        seen, ranked = set(), []
        for key, value in sorted(pairs, key=lambda kv: -kv[1]):  # stable: ties keep the given order
            if key not in seen:
                seen.add(key)
                ranked.append((key, value))
        return ranked

    qids = sorted(qrels)
    typed_qrels = TypedList([rows(best_first(qrels[qid].items())) for qid in qids])
    typed_runs = {name: TypedList([rows(best_first(run.get(qid, []))) for qid in qids]) for name, run in runs.items()}
    return typed_qrels, typed_runs


def score_runs(qrels: Qrels, runs: dict[str, Run], stat_test: str = "student", alpha: float = 0.05) -> ScoreTable:
    """Scores of each run over the queries with at least one relevant (grade >= 1) judgment, and paired tests
    ('student': t-test, 'fisher': randomisation) between every two runs on every metric. A query a run has no
    ranking for scores 0 in it."""
    if stat_test not in STAT_TESTS:
        raise EvalSetError("{stat_test} {value!r} must be one of {tests}", fields=("stat_test",), value=stat_test, tests=", ".join(STAT_TESTS))
    qrels = {qid: docs for qid, docs in qrels.items() if any(g > 0 for g in docs.values())}
    if not qrels:
        raise EvalSetError("no query of this set has a relevant judgment yet; judge some (`dipsearch evalset judge NAME`) or import them")
    from ranx import evaluate

    typed_qrels, typed_runs = _aligned_inputs(qrels, runs)
    per_query = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, typed_run in typed_runs.items():
            per_query[name] = evaluate(typed_qrels, typed_run, list(METRICS), return_mean=False)
    scores = {name: {m: float(per_query[name][m].mean()) for m in METRICS} for name in runs}
    for name, run in runs.items():
        scores[name]["judged@10"] = judged_at(qrels, run)
    p_values: dict[str, dict[str, dict[str, float | None]]] = {m: {} for m in METRICS}
    beats = {name: {m: [] for m in METRICS} for name in runs}
    names = list(runs)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            for m in METRICS:
                p = TESTS[stat_test](per_query[a][m], per_query[b][m])
                p_values[m].setdefault(a, {})[b] = p_values[m].setdefault(b, {})[a] = p
                if p is not None and p < alpha and scores[a][m] != scores[b][m]:
                    winner, loser = (a, b) if scores[a][m] > scores[b][m] else (b, a)
                    beats[winner][m].append(loser)
    return ScoreTable(names, scores, p_values, beats, len(qrels), stat_test, alpha)
