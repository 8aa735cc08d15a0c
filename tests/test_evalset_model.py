"""Evaluation sets with the real bundled model: from-qa and eval over transcripts of our own writing."""
from __future__ import annotations

import pytest

from search.evaluation.evaluate import evaluate_set
from search.evaluation.from_qa import build_from_qa
from tests.evalset_fixtures import build_index

pytestmark = pytest.mark.model


def test_from_qa_and_eval_with_the_real_model(tmp_path):
    from index.embedding import load

    model = load(backend="torch")
    store = build_index(tmp_path / "idx", model)
    assert build_from_qa(store, "qa").queries == 7  # turns chunked apart (corpus.span_chunking): one more answer pairs
    report = evaluate_set(store, model, "qa", runs_dir=tmp_path / "runs")
    runs = {}
    for path in report.run_files:
        for line in open(path):
            qid, _, key, rank, _, tag = line.split()
            runs.setdefault(tag, {}).setdefault(qid, []).append(key)
    visa = "ost-0305-t2"  # "Can you share details of the new visa rules for Valdorian students?"
    for tag in ("dipsearch-dense", "dipsearch-hybrid"):
        assert "ost-0305#3" not in runs[tag][visa]  # the question itself is never returned
        assert "ost-0305#4" in runs[tag][visa][:3]  # its answer, about visa rules for students, is near the top
    assert 0 < report.table.scores["hybrid"]["ndcg@10"] <= 1
