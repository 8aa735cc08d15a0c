"""Scoring: judgments and rankings paired per query whatever the order or shape of the inputs; significance tests."""
from __future__ import annotations

import math

import numpy as np
import pytest

from search.evaluation.scoring import score_runs
from search.evaluation.significance import paired_t, randomisation

pytestmark = pytest.mark.jit  # ranx's numba kernels compile on first use (tens of seconds on a cold cache)


def test_each_query_is_scored_against_its_own_judgments_whatever_the_order():
    # 300 queries, each with its own relevant passage; qids whose string order differs from their numeric order,
    # and runs listing queries in another order than the judgments (reversed), with extra and missing queries.
    qids = [f"doc-{i}-t{i % 7}" for i in range(300)]
    qrels = {q: {f"{q}#answer": 1, f"{q}#near": 0} for q in qids}
    perfect = {q: [(f"{q}#answer", 2.0), (f"{q}#near", 1.0)] for q in reversed(qids)}
    neighbour = {q: [(f"{qids[(i + 1) % 300]}#answer", 2.0)] for i, q in enumerate(qids)}  # another query's answer
    partial = {q: perfect[q] for q in qids[:150]} | {"not-in-the-set": [("x#1", 1.0)]}
    table = score_runs(qrels, {"perfect": perfect, "neighbour": neighbour, "partial": partial})
    assert table.queries == 300
    assert table.scores["perfect"] == pytest.approx({"ndcg@10": 1.0, "mrr@10": 1.0, "recall@10": 1.0, "recall@100": 1.0, "judged@10": 0.2})
    assert table.scores["neighbour"]["ndcg@10"] == 0.0 and table.scores["neighbour"]["judged@10"] == 0.0
    assert table.scores["partial"]["ndcg@10"] == pytest.approx(0.5)  # half the queries answered, the rest score 0
    assert table.beats["perfect"]["ndcg@10"] == ["neighbour", "partial"]


def test_graded_judgments_in_any_order_give_the_ideal_ranking_its_full_score():
    qrels = {"q": {"fair": 1, "best": 2}}  # the lesser grade first: the ideal DCG must still rank "best" first
    table = score_runs(qrels, {"ideal": {"q": [("best", 9.0), ("fair", 8.0)]}, "swapped": {"q": [("fair", 9.0), ("best", 8.0)]}})
    assert table.scores["ideal"]["ndcg@10"] == pytest.approx(1.0)
    idcg = 2 + 1 / math.log2(3)
    assert table.scores["swapped"]["ndcg@10"] == pytest.approx((1 + 2 / math.log2(3)) / idcg)


def test_runs_are_read_best_score_first_ties_in_given_order_and_repeats_once():
    qrels = {"q": {"b": 1}}
    table = score_runs(qrels, {"unsorted": {"q": [("a", 1.0), ("b", 5.0)]}, "tied": {"q": [("a", 3.0), ("b", 3.0)]},
                               "repeated": {"q": [("a", 3.0), ("a", 2.0), ("b", 1.0)]}})
    assert table.scores["unsorted"]["mrr@10"] == 1.0
    assert table.scores["tied"]["mrr@10"] == 0.5
    assert table.scores["repeated"]["mrr@10"] == 0.5


def test_student_is_scipys_paired_t_and_identical_runs_have_no_p():
    rng = np.random.default_rng(1)
    a, b = rng.random(50), rng.random(50)
    from scipy.stats import ttest_rel  # here, not at collection: scipy.stats costs 1.5 s in each pytest worker

    assert paired_t(a, b) == pytest.approx(ttest_rel(a, b).pvalue)
    assert paired_t(a, a.copy()) is None and randomisation(a, a.copy()) is None


def test_randomisation_is_repeatable_symmetric_and_never_zero():
    rng = np.random.default_rng(2)
    a = rng.random(200)
    clearly_better = a + 0.5
    assert randomisation(clearly_better, a, permutations=999) == pytest.approx(1 / 1000)  # floor: (0 + 1) / (999 + 1)
    noisy = a + rng.normal(0, 0.3, 200)
    p = randomisation(noisy, a)
    assert p == randomisation(noisy, a) == randomisation(a, noisy)
    assert 0.05 < p < 1


def test_fisher_test_on_a_table():
    qrels = {f"q{i}": {"hit": 1} for i in range(40)}
    good = {q: [("hit", 1.0)] for q in qrels}
    bad = {q: [("miss", 1.0), ("hit", 0.5)] for q in qrels}
    table = score_runs(qrels, {"good": good, "bad": bad}, stat_test="fisher")
    assert table.p_values["mrr@10"]["good"]["bad"] == table.p_values["mrr@10"]["bad"]["good"] == pytest.approx(1 / 10_001)
    assert table.beats["good"]["mrr@10"] == ["bad"] and table.beats["bad"]["mrr@10"] == []
    assert table.p_values["recall@10"]["good"]["bad"] is None  # both find the hit in the top 10 everywhere
