"""Scoring runs against judgments with ranx: nDCG@10, MRR@10, Recall@10/100, judged@10, and paired
significance tests between every two runs."""
from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass, field

from search.evaluation.errors import EvalSetError

METRICS = ("ndcg@10", "mrr@10", "recall@10", "recall@100")
STAT_TESTS = ("student", "fisher")

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


def score_runs(qrels: Qrels, runs: dict[str, Run], stat_test: str = "student", alpha: float = 0.05) -> ScoreTable:
    """Scores of each run over the queries with at least one relevant (grade >= 1) judgment, and paired tests
    ('student': t-test, 'fisher': randomisation) between every two runs on every metric."""
    if stat_test not in STAT_TESTS:
        raise EvalSetError(f"--test {stat_test!r} must be one of {', '.join(STAT_TESTS)}")
    qrels = {qid: docs for qid, docs in qrels.items() if any(g > 0 for g in docs.values())}
    if not qrels:
        raise EvalSetError("no query of this set has a relevant judgment yet; judge some (`dipsearch evalset judge NAME`) or import them")
    from ranx import Qrels as RQrels, Run as RRun, compare, evaluate

    rq = RQrels({qid: {k: int(g) for k, g in docs.items()} for qid, docs in qrels.items()})
    rruns = []
    for name, run in runs.items():
        data = {qid: {key: float(s) for key, s in run.get(qid, [])} for qid in qrels}
        rruns.append(RRun(data, name=name))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if len(rruns) > 1:
            report = compare(rq, rruns, list(METRICS), stat_test=stat_test, max_p=alpha, make_comparable=True, rounding_digits=6).to_dict()
        else:
            report = {rruns[0].name: {"scores": evaluate(rq, rruns[0], list(METRICS), make_comparable=True), "comparisons": {}}}
    scores, p_values, beats = {}, {m: {} for m in METRICS}, {}
    for name, run in runs.items():
        entry = report[name]
        scores[name] = {m: float(entry["scores"][m]) for m in METRICS}
        scores[name]["judged@10"] = judged_at(qrels, run)
        beats[name] = {m: [] for m in METRICS}
        for other, by_metric in entry.get("comparisons", {}).items():
            for m in METRICS:
                p = float(by_metric[m])
                p_values[m].setdefault(name, {})[other] = p if p == p else None  # NaN: identical scores, nothing to test
    for name in runs:
        for other in runs:
            for m in METRICS:
                p = p_values[m].get(name, {}).get(other)
                if p is not None and p < alpha and scores[name][m] > scores[other][m]:
                    beats[name][m].append(other)
    return ScoreTable(list(runs), scores, p_values, beats, len(qrels), stat_test, alpha)
