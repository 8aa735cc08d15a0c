"""`evalset from-parallel`: questions of one language's transcripts as queries, the other language's same-date
answers as relevant (turn by turn where the transcripts align), question passages kept out of every run."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from search.cli import app
from search.evaluation import sets
from search.evaluation.errors import EvalSetError
from search.evaluation.evaluate import evaluate_set
from search.evaluation.from_parallel import NO_TARGET, Transcript, build_from_parallel, same_source
from tests.builders import build, raw
from tests.fakes import FakeEmbedder

SOURCE_EN = "Ministry of Foreign Affairs of Freedonia (mfa.freedonia.example)"
SOURCE_ZH = "弗里多尼亚外交部 (mfa.freedonia.example, Chinese)"
EN_1 = ("The spokesperson opened the regular press conference of the ministry.\n\n"
        "Q: What is Freedonia's position on the Sylvania river dam?\n\n"
        "A: Freedonia opposes the river dam and calls for talks on water sharing.\n\n"
        "Q: Will the foreign minister visit Osterlich?\n\n"
        "A: The minister will visit Osterlich next week to sign a grain agreement.")
ZH_1 = ("问：弗里多尼亚对西尔瓦尼亚河坝的立场是什么？\n\n答：弗里多尼亚反对修建河坝，呼吁就水资源分配进行谈判。\n\n"
        "问：外交部长会访问奥斯特利希吗？\n\n答：部长下周将访问奥斯特利希并签署粮食协议。")
ZH_SHORT = "问：弗里多尼亚如何看待边境局势？\n\n答：边境局势总体稳定。"


def english_index(tmp_path):
    docs = [raw("en-0501", EN_1, date="2020-05-01", source=SOURCE_EN, lang="en"),
            raw("en-0502", EN_1.replace("dam", "bridge").replace("grain", "coal"), date="2020-05-02", source=SOURCE_EN, lang="en")]
    store, _ = build(tmp_path / "en", docs, FakeEmbedder(max_tokens=24))  # one paragraph per passage
    return store


def grades(store, name, qid):
    return {j.ref.key: j.grade for j in sets.judgments(store.db.conn, name) if j.qid == qid}


def test_same_source_by_name_or_web_domain():
    assert same_source(SOURCE_EN, SOURCE_ZH)
    assert same_source("Foreign Ministry", "foreign ministry ")
    assert not same_source("Foreign Ministry", "Ministry of Trade")
    assert not same_source(SOURCE_EN, "Sylvania News (news.sylvania.example)")


def test_aligned_transcripts_grade_the_translated_answer_2_and_the_other_answers_1(tmp_path):
    store = english_index(tmp_path)
    report = build_from_parallel(store, "zh-en", [Transcript("zh-0501", ZH_1, "2020-05-01", SOURCE_ZH, "zh")])
    assert (report.queries, report.aligned, report.whole_transcript, report.matched_transcripts) == (2, 2, 0, 1)
    queries = {q.qid: q.query for q in sets.queries(store.db.conn, "zh-en")}
    assert queries == {"zh-0501-t1": "弗里多尼亚对西尔瓦尼亚河坝的立场是什么？", "zh-0501-t2": "外交部长会访问奥斯特利希吗？"}
    first, second = grades(store, "zh-en", "zh-0501-t1"), grades(store, "zh-en", "zh-0501-t2")
    assert {k.split("#")[0] for k in first} == {"en-0501"}  # only the same-date transcript
    assert sorted(first.values()) == [1, 2] and sorted(second.values()) == [1, 2]
    assert [k for k, g in first.items() if g == 2] == [k for k, g in second.items() if g == 1]


def test_transcripts_with_other_turn_counts_mark_the_whole_same_date_answer_set_and_say_so(tmp_path):
    store = english_index(tmp_path)
    report = build_from_parallel(store, "zh-en", [Transcript("zh-0502", ZH_SHORT, "2020-05-02", SOURCE_ZH, "zh")])
    assert (report.queries, report.aligned, report.whole_transcript) == (1, 0, 1)
    judged = grades(store, "zh-en", "zh-0502-t1")
    assert set(judged.values()) == {1} and {k.split("#")[0] for k in judged} == {"en-0502"}


def test_questions_without_a_same_date_same_source_transcript_are_dropped_by_reason(tmp_path):
    store = english_index(tmp_path)
    report = build_from_parallel(store, "zh-en", [Transcript("zh-0503", ZH_1, "2020-05-03", SOURCE_ZH, "zh"),
                                                  Transcript("zh-x", ZH_1, "2020-05-01", "Sylvania News", "zh")])
    assert report.queries == 0 and report.dropped == {NO_TARGET: 4}
    anywhere = build_from_parallel(store, "any", [Transcript("zh-x", ZH_1, "2020-05-01", "Sylvania News", "zh")], any_source=True)
    assert anywhere.queries == 2


@pytest.mark.jit  # scores with ranx (numba)
def test_question_passages_are_kept_out_of_every_run(tmp_path):
    store = english_index(tmp_path)
    build_from_parallel(store, "zh-en", [Transcript("zh-0501", ZH_1, "2020-05-01", SOURCE_ZH, "zh")])
    info = sets.get_set(store.db.conn, "zh-en")
    assert info["kind"] == "parallel" and len(info["params"]["question_passages"]) >= 2
    report = evaluate_set(store, FakeEmbedder(), "zh-en", modes=("lexical", "dense"), k=10)
    from search.evaluation.runs import engine_runs

    runs = engine_runs(store, FakeEmbedder(), "zh-en", ["dense"], k=50,
                       exclude_all=[__import__("search.evaluation.keys", fromlist=["PassageRef"]).PassageRef(*q) for q in info["params"]["question_passages"]])
    returned = {key for ranking in runs["dense"].values() for key in ranking}
    question_keys = {f"{d}#{o}" for d, o, *_ in info["params"]["question_passages"]}
    assert returned and not (returned & question_keys)
    assert report.queries == 2 and set(report.table.scores) == {"lexical", "dense"}


def test_questions_from_the_index_itself_when_it_holds_both_languages(tmp_path):
    docs = [raw("en-0501", EN_1, date="2020-05-01", source=SOURCE_EN, lang="en"),
            raw("zh-0501", ZH_1, date="2020-05-01", source=SOURCE_ZH, lang="zh")]
    store, _ = build(tmp_path / "both", docs, FakeEmbedder(max_tokens=24))
    report = build_from_parallel(store, "zh-en", query_lang="zh")
    assert (report.query_transcripts, report.target_transcripts, report.queries, report.aligned) == (1, 1, 2, 2)
    excluded = {d for d, *_ in sets.get_set(store.db.conn, "zh-en")["params"]["question_passages"]}
    assert "zh-0501" in excluded  # the query transcripts themselves never compete
    with pytest.raises(EvalSetError, match="the index has no documents in language 'ja'"):
        build_from_parallel(store, "ja-en", query_lang="ja")


@pytest.mark.jit  # scores with ranx (numba)
def test_from_parallel_via_cli_reads_the_query_transcripts_from_a_file(tmp_path, runtime):
    store = english_index(tmp_path)
    store.close()
    queries = tmp_path / "zh.jsonl"
    queries.write_text(json.dumps({"id": "zh-0501", "text": ZH_1, "date": "2020-05-01", "source": SOURCE_ZH, "lang": "zh"},
                                  ensure_ascii=False) + "\n")
    result = CliRunner().invoke(app, ["evalset", "from-parallel", str(queries), "--name", "zh-en", "--index", str(tmp_path / "en")], obj=runtime)
    assert result.exit_code == 0, result.output
    assert "set zh-en: 2 queries, 2 aligned turn by turn, 0 judged against the whole same-date answer set (not aligned)" in result.stdout
    again = CliRunner().invoke(app, ["evalset", "from-parallel", str(queries), "--name", "zh-en", "--index", str(tmp_path / "en")], obj=runtime)
    assert again.exit_code == 1 and "evaluation set 'zh-en' already exists" in again.stderr
    scored = CliRunner().invoke(app, ["eval", "zh-en", "--index", str(tmp_path / "en"), "--mode", "lexical", "--json"], obj=runtime)
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["queries"] == 2
