"""Evaluation sets through the library: pool, judge (scripted keys), import, export, from-qa, scoring, stable keys."""
from __future__ import annotations

import json

import pytest

from search.filters import Filters
from search.engine import SearchRequest, search
from search.evaluation import judging, sets
from search.evaluation.errors import EvalSetError, EvalSetNotFound, JudgmentFileError
from search.evaluation.evaluate import current_qrels, evaluate_set
from search.evaluation.exporting import export_beir, jsonl_records, trec_lines
from search.evaluation.from_qa import NOT_SEPARABLE, build_from_qa
from search.evaluation.importing import import_judgments
from search.evaluation.pool import pool
from search.evaluation.scoring import score_runs
from search.evaluation.session import run_session
from corpus.turns import ORPHAN, UNANSWERED
from tests.builders import build, raw
from tests.evalset_fixtures import QA_STYLE, SOURCE, SPOKESPERSON, build_index, text

STEEL = "tariffs steel"  # lexical matches exactly three passages of ost-0304: ordinals 7, 8, 9


@pytest.fixture
def store(tmp_path, fake_embedder):
    return build_index(tmp_path / "idx", fake_embedder)


def keys(store, name, qid):
    return [f"{r[0]}#{r[1]}" for r in store.db.conn.execute(
        "SELECT doc_id, ordinal FROM eval_candidates WHERE set_name = ? AND qid = ? ORDER BY best_rank, candidate_id", (name, qid))]


def scripted(*keys_pressed):
    it = iter(keys_pressed)
    return lambda: next(it, "")


# ------------------------------------------------------------------ pool
def test_pool_lexical_gathers_exactly_the_matching_passages(store):
    report = pool(store, None, "steel", [("s1", STEEL)], depth=10, modes=["lexical"])
    assert (report.queries_added, report.candidates_added, report.candidates_total) == (1, 3, 3)
    assert sorted(keys(store, "steel", "s1")) == ["ost-0304#7", "ost-0304#8", "ost-0304#9"]


def test_pool_all_modes_deduplicates_and_pooling_again_adds_nothing(store, fake_embedder):
    calls = []
    first = pool(store, fake_embedder, "p", [("q1", "water quotas for the dry season"), ("q2", "visa rules for students")], depth=4,
                 on_query=lambda *a: calls.append(a))
    assert calls == [(1, 2), (2, 2)]
    assert first.by_mode == {"dense": 8, "lexical": 3 + 2, "hybrid": 8}  # lexical: only passages holding a query word
    stored = store.db.conn.execute("SELECT count(*), count(DISTINCT qid || doc_id || '#' || ordinal) FROM eval_candidates").fetchone()
    assert stored[0] == stored[1] == first.candidates_total < 24  # modes overlap: each passage pooled once per query
    again = pool(store, fake_embedder, "p", [("q1", "water quotas for the dry season")], depth=4)
    assert (again.queries_added, again.candidates_added, again.candidates_total) == (0, 0, first.candidates_total)


def test_pool_refuses_a_reused_id_with_other_text_and_dense_without_model(store):
    pool(store, None, "p", [("q1", STEEL)], modes=["lexical"])
    with pytest.raises(EvalSetError, match="already in set"):
        pool(store, None, "p", [("q1", "something else")], modes=["lexical"])
    with pytest.raises(EvalSetError, match="pass modes lexical"):
        pool(store, None, "p", [("q2", STEEL)], modes=["dense"])


# ------------------------------------------------------------------ judge
def test_judging_session_grade_undo_skip_then_resume(store):
    pool(store, None, "j", [("s1", STEEL)], modes=["lexical"])
    order = keys(store, "j", "s1")
    summary = run_session(store, "j", scripted("2", "0", "u", "1", "x", "s"), lambda cand, msg: None)
    assert (summary.judged, summary.skipped, summary.undone, summary.finished, summary.skipped_total) == (3, 1, 1, True, 1)
    graded = {j.ref.key: j.grade for j in sets.judgments(store.db.conn, "j", include_skipped=True)}
    assert graded == {order[0]: 2, order[1]: 1, order[2]: None}
    assert judging.next_candidate(store, "j") is None
    assert judging.revisit_skipped(store, "j") == 1
    shown = []
    summary = run_session(store, "j", scripted("q"), lambda cand, msg: shown.append(cand.key))
    assert shown == [order[2]] and not summary.finished and summary.remaining == 1
    run_session(store, "j", scripted("2"), lambda cand, msg: None)
    assert {j.ref.key: j.grade for j in sets.judgments(store.db.conn, "j")} == {order[0]: 2, order[1]: 1, order[2]: 2}


def test_candidate_carries_query_passage_source_date_and_highlights(store):
    pool(store, None, "j", [("s1", STEEL)], modes=["lexical"])
    cand = judging.next_candidate(store, "j")
    assert (cand.query, cand.source, cand.date, cand.total, cand.done) == (STEEL, SOURCE, "2031-03-04", 3, 0)
    assert {cand.text[a:b].lower() for a, b in cand.highlights} <= {"tariffs", "steel"} and cand.highlights
    with pytest.raises(EvalSetError, match="grade"):
        judging.record_judgment(store, "j", cand.candidate_id, 3)
    with pytest.raises(EvalSetNotFound, match="evalset pool"):
        judging.next_candidate(store, "nope")
    assert judging.undo_last(store, "j") is None


# ------------------------------------------------------------------ from-qa
def test_from_qa_counts_pairs_drops_and_excludes_the_question(store):
    report = build_from_qa(store, "qa")
    assert (report.documents, report.documents_with_turns, report.turns_paired) == (4, 3, 7)
    # passages never span two turns (corpus.span_chunking), so no answer shares its passage with its question any more
    assert report.dropped == {UNANSWERED: 2, ORPHAN: 2}
    assert NOT_SEPARABLE not in report.dropped
    assert (report.queries, report.qrels, report.relevant, report.partly, report.excluded, report.follow_ups) == (7, 10, 10, 0, 7, 1)
    first = sets.queries(store.db.conn, "qa")[0]
    assert first.qid == "ost-0304-t1" and [r.key for r in first.exclude] == ["ost-0304#1"]
    assert [(j.ref.key, j.grade) for j in sets.judgments(store.db.conn, "qa") if j.qid == first.qid] == [("ost-0304#2", 2), ("ost-0304#3", 2)]
    with pytest.raises(EvalSetError, match="pick another name or pass replace to rebuild it"):
        build_from_qa(store, "qa")
    assert build_from_qa(store, "qa", replace=True, sample=2, seed=3).queries == 2


def test_the_question_finds_itself_unless_excluded(store):
    build_from_qa(store, "qa")
    question = sets.queries(store.db.conn, "qa")[0]
    own = store.db.passage_ids("ost-0304")[1]
    questions = Filters(roles=("question",))  # without a role asked, questions rank after answers and statements
    plain = search(store, None, SearchRequest(question.query, mode="lexical", k=5, per_doc=5, filters=questions))
    assert plain.results[0].passage_id == own
    excluded = search(store, None, SearchRequest(question.query, mode="lexical", k=5, per_doc=5, exclude=frozenset({own}), filters=questions))
    assert own not in [h.passage_id for h in excluded.results]


# ------------------------------------------------------------------ import / export
def test_import_trec_jsonl_csv_and_export_trec_exactly(store, tmp_path):
    (tmp_path / "q.trec").write_text("s1 0 ost-0304#8 2\ns1 0 ost-0304:861-943 1\n")
    (tmp_path / "q.jsonl").write_text(json.dumps({"query_id": "s2", "query": "visa rules", "doc_id": "ost-0305#4", "relevance": 2}) + "\n")
    (tmp_path / "q.csv").write_text("qid,docid,rel\ns1,ost-0304#7,0\n")
    report = import_judgments(store, "imp", tmp_path / "q.trec", queries=[("s1", STEEL)])
    assert (report.judgments_added, report.queries_added) == (2, 1)
    import_judgments(store, "imp", tmp_path / "q.jsonl")
    import_judgments(store, "imp", tmp_path / "q.csv")
    assert trec_lines(store, "imp") == ["s1 0 ost-0304#8 2", "s1 0 ost-0304#9 1", "s1 0 ost-0304#7 0", "s2 0 ost-0305#4 2"]
    record = jsonl_records(store, "imp")[0]
    assert record["text"].startswith("A: We firmly oppose") and (record["char_start"], record["char_end"]) == (758, 859)


@pytest.mark.parametrize("name, content, message", [
    ("bad.trec", "s1 0 ost-0304#8 2\ns1 ost-0304#8 2\n", r"bad.trec:2: expected 4 fields"),
    ("bad.jsonl", '{"query_id": "s1", "doc_id": "ost-0304#8", "relevance": 1}\n{oops\n', r"bad.jsonl:2: malformed JSON"),
    ("bad.csv", "qid,docid,rel\ns1,ost-0304#8,-1\n", r"bad.csv:2: relevance '-1' must be a whole number"),
    ("bad.tsv", "query-id\tcorpus-id\tscore\ns1\tost-0304#8\n", r"bad.tsv:2: 2 columns but the header has 3"),
    ("nopass.trec", "s1 0 ost-0304#99 1\n", r"1 line\(s\) name passages not in this index \(1: ost-0304#99\)"),
    ("noquery.trec", "zz 0 ost-0304#8 1\n", r"noquery.trec:1: query 'zz' is not in set"),
])
def test_import_refuses_malformed_files_with_line_numbers_and_stores_nothing(store, tmp_path, name, content, message):
    (tmp_path / name).write_text(content)
    with pytest.raises(JudgmentFileError, match=message):
        import_judgments(store, "imp", tmp_path / name, queries=[("s1", STEEL)])
    assert "imp" not in sets.set_names(store.db.conn)


@pytest.mark.jit
def test_export_beir_is_read_back_by_ranx(store, tmp_path):
    from ranx import Qrels

    build_from_qa(store, "qa")
    report = export_beir(store, "qa", tmp_path / "beir")
    assert (report.corpus, report.queries, report.qrels) == (25, 7, 10)  # turns chunked apart: one more passage, one more pair
    import pandas as pd

    df = pd.read_csv(tmp_path / "beir" / "qrels" / "test.tsv", sep="\t", dtype={"query-id": object, "corpus-id": object})
    qrels = Qrels.from_df(df, q_id_col="query-id", doc_id_col="corpus-id", score_col="score").to_dict()
    assert qrels["ost-0304-t1"] == {"ost-0304#2": 2, "ost-0304#3": 2}
    corpus_ids = {json.loads(line)["_id"] for line in (tmp_path / "beir" / "corpus.jsonl").read_text().splitlines()}
    assert {k for docs in qrels.values() for k in docs} <= corpus_ids
    first_query = json.loads((tmp_path / "beir" / "queries.jsonl").read_text().splitlines()[0])
    assert first_query["_id"] == "ost-0304-t1" and first_query["metadata"]["exclude"] == ["ost-0304#1"]
    assert export_beir(store, "qa", tmp_path / "small", corpus="judged").corpus == 10


# ------------------------------------------------------------------ scoring
@pytest.mark.jit
def test_scores_on_a_hand_computed_case():
    qrels = {"q1": {"a": 1, "b": 0}, "q2": {"c": 1, "d": 1}, "q3": {"x": 0}}  # q3 has nothing relevant: not scored
    runs = {"A": {"q1": [("a", 2.0), ("b", 1.0)], "q2": [("c", 3.0), ("z", 2.0), ("d", 1.0)]},
            "B": {"q1": [("b", 2.0), ("a", 1.0)], "q2": [("z", 1.0)]}}
    table = score_runs(qrels, runs)
    assert table.queries == 2
    idcg2 = 1 + 1 / 1.584962500721156
    assert table.scores["A"]["ndcg@10"] == pytest.approx((1 + 1.5 / idcg2) / 2)
    assert table.scores["B"]["ndcg@10"] == pytest.approx((1 / 1.584962500721156) / 2)
    assert (table.scores["A"]["mrr@10"], table.scores["B"]["mrr@10"]) == (pytest.approx(1.0), pytest.approx(0.25))
    assert (table.scores["A"]["recall@10"], table.scores["B"]["recall@10"]) == (pytest.approx(1.0), pytest.approx(0.5))
    assert (table.scores["A"]["judged@10"], table.scores["B"]["judged@10"]) == (pytest.approx(0.2), pytest.approx(0.1))
    assert 0 < table.p_values["ndcg@10"]["A"]["B"] <= 1
    with pytest.raises(EvalSetError, match="no query"):
        score_runs({"q": {"a": 0}}, runs)


@pytest.mark.jit
def test_evaluate_set_saves_trec_runs_without_the_excluded_passages(store, fake_embedder, tmp_path):
    from ranx import Run

    build_from_qa(store, "qa")
    calls = []
    report = evaluate_set(store, fake_embedder, "qa", runs_dir=tmp_path / "runs", on_query=lambda *a: calls.append(a))
    assert calls == [(i, 7) for i in range(1, 8)]
    assert report.table.runs == ["dense", "lexical", "hybrid"] and report.table.queries == 7 and report.per_doc == 100
    lexical = Run.from_file(str(tmp_path / "runs" / "qa.lexical.trec"), kind="trec").to_dict()
    assert set(lexical) <= {q.qid for q in sets.queries(store.db.conn, "qa")}
    for q in sets.queries(store.db.conn, "qa"):
        for mode in ("dense", "lexical", "hybrid"):
            run = Run.from_file(str(tmp_path / "runs" / f"qa.{mode}.trec"), kind="trec").to_dict()
            assert not {r.key for r in q.exclude} & set(run.get(q.qid, {}))
    again = evaluate_set(store, None, "qa", modes=["lexical"], run_files=[tmp_path / "runs" / "qa.dense.trec"])
    assert again.table.runs == ["lexical", "qa.dense"]
    assert again.table.scores["qa.dense"] == pytest.approx(report.table.scores["dense"])


# ------------------------------------------------------------------ stable keys
def test_judgments_survive_reingest_and_rechunked_passages_are_reported(store, fake_embedder):
    build_from_qa(store, "qa")
    before, stale = current_qrels(store, "qa")
    assert stale == 0
    changed_tail = QA_STYLE[:-1] + ["Q: Has the date for the border meeting been agreed by both sides at last?"]
    build(store.folder, [raw("ost-0304", text(changed_tail), title="Press conference, March 4", date="2031-03-04",
                             source=SOURCE, speaker=SPOKESPERSON, lang="en")], fake_embedder)
    assert current_qrels(store, "qa") == (before, 0)  # new passage ids, same doc_id#ordinal and spans
    changed_head = ["Foreign Minister Tomas Rell will visit Marenne and Tarn from March 10 to 12 for talks."] + QA_STYLE[1:]
    build(store.folder, [raw("ost-0304", text(changed_head), title="Press conference, March 4", date="2031-03-04",
                             source=SOURCE, speaker=SPOKESPERSON, lang="en")], fake_embedder)
    after, stale = current_qrels(store, "qa")
    assert stale == 5 and not any(k.startswith("ost-0304#") for docs in after.values() for k in docs)


@pytest.mark.jit
def test_answers_only_keeps_every_question_out_of_every_run(store, fake_embedder, tmp_path):
    build_from_qa(store, "qa")
    questions = {f"{d}#{o}" for d, o, _, _ in sets.get_set(store.db.conn, "qa")["params"]["question_passages"]}
    assert questions == {"ost-0304#1", "ost-0304#4", "ost-0304#7", "ost-0305#1", "ost-0305#3", "ost-0306#0", "ost-0306#2"}
    report = evaluate_set(store, fake_embedder, "qa", runs_dir=tmp_path, answers_only=True)
    assert report.answers_only and sorted(p.rsplit("/", 1)[1] for p in report.run_files)[0] == "qa.answers-only.dense.trec"
    for path in report.run_files:
        returned = {line.split()[2] for line in open(path)}
        assert returned and not returned & questions
    import_judgments(store, "imp", _write(tmp_path / "j.trec", "s1 0 ost-0304#8 2\n"), queries=[("s1", STEEL)])
    with pytest.raises(EvalSetError, match="from-qa"):
        evaluate_set(store, None, "imp", modes=["lexical"], answers_only=True)


def _write(path, content):
    path.write_text(content)
    return path
