"""Formulas (shared phrases) and trends, on short documents about invented states."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from search.cli import app
from search.formulas import find_formulas
from search.formulas.errors import EmptyIndex, FormulasError
from search.formulas.store import refresh_tokens
from search.formulas.trend import trend
from search.requests import build_filters
from tests.builders import build, raw

HEAD = "Velmar City press office morning briefing notes.\n\n"
TAIL = "\n\nShare this page with colleagues by email."
FILLER = ("The delegation travelled by train across the northern plains. Officials inspected the new harbour and "
          "a bridge over the river. Several agreements on fisheries were signed during the visit. ")


def doc(i, body, date, source="Velmar MFA"):
    return raw(f"d{i}", HEAD + FILLER + "\n\n" + body + "\n\n" + FILLER + FILLER + TAIL, date=date, source=source)


DOCS = [
    doc(1, "We uphold the principle of riparian sovereignty and mutual restraint.", "2019-01-10"),
    doc(2, "Kestria must respect the principle of riparian sovereignty and mutual restraint at all times.", "2019-02-11"),
    doc(3, "Our policy rests on riparian sovereignty and mutual restraint, the minister said.", "2019-02-20", "Kestria News"),
    doc(4, "Confrontation over the dam would be a disaster for the region.", "2019-03-05"),
    doc(5, "A quarrel between the two capitals would definitely be a disaster for the region.", "2019-04-01"),
    doc(6, "Q: Will the riparian sovereignty and mutual restraint talks go ahead?\n\nA: The weather is cold today.", "2019-05-01"),
]


@pytest.fixture
def store(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", DOCS, fake_embedder)
    yield store
    store.close()


def texts(formulas):
    return [f.text.lower() for f in formulas]


def test_a_phrase_shared_by_three_documents_is_found_with_its_history(store):
    found = find_formulas(store, limit=10)
    top = next(f for f in found if "riparian sovereignty and mutual restraint" in f.text.lower())
    assert top.documents == ["d1", "d2", "d3"]  # d6 holds it only inside a journalist's question
    assert top.n_sources == 2
    assert (top.first.doc_id, top.first.date, top.last.doc_id, top.last.date) == ("d1", "2019-01-10", "d3", "2019-02-20")
    assert top.history("month") == [{"period": "2019-01", "count": 1, "by_source": {"Velmar MFA": 1}},
                                     {"period": "2019-02", "count": 2, "by_source": {"Kestria News": 1, "Velmar MFA": 1}}]
    assert [r["count"] for r in top.history("quarter")] == [3]


def test_one_inserted_word_is_tolerated(store):
    found = find_formulas(store, limit=10)
    disaster = next(f for f in found if "disaster" in f.text.lower())
    assert disaster.documents == ["d4", "d5"]
    assert sorted(u.text for u in disaster.uses) == ["would be a disaster for the region", "would definitely be a disaster for the region"]


def test_boilerplate_at_document_edges_is_not_a_formula(store):
    found = texts(find_formulas(store, limit=50))
    assert not any("press office morning briefing" in t or "share this page" in t for t in found)
    assert any("fisheries were signed" in t for t in found)  # the same words mid-document are shared text


def test_filters_and_query(store):
    only = find_formulas(store, build_filters(since="2019-03"), limit=10)
    assert all("riparian" not in t for t in texts(only))
    assert [f.documents for f in find_formulas(store, query="disaster", limit=10)] == [["d4", "d5"]]
    with pytest.raises(FormulasError, match="min_docs 1"):
        find_formulas(store, min_docs=1)


def test_only_new_documents_are_tokenized_after_an_ingest(store, fake_embedder):
    from index.ingest import ingest

    assert refresh_tokens(store.db) == 6
    assert refresh_tokens(store.db) == 0
    ingest(store, [doc(7, "riparian sovereignty and mutual restraint again.", "2019-06-01")], fake_embedder)
    assert refresh_tokens(store.db) == 1
    riparian = next(f for f in find_formulas(store, limit=10) if "riparian" in f.text.lower())
    assert "d7" in riparian.documents  # the stored list was for the index before this ingest


def test_a_computed_list_is_stored_and_read_back(store):
    first = find_formulas(store, limit=5)
    assert store.db.conn.execute("SELECT count(*) FROM fm_results").fetchone()[0] == 1
    again = find_formulas(store, limit=5)
    assert [f.as_dict() for f in again] == [f.as_dict() for f in first]


def test_chinese_formulas(tmp_path, fake_embedder):
    zh = [raw(f"z{i}", body, date=f"2019-0{i}-01", source="外交部") for i, body in enumerate([
        "我们愿同各国一道，推动构建人类命运共同体，维护地区和平。今天天气很好，代表团参观了港口。",
        "中方始终致力于构建人类命运共同体。双方还讨论了渔业问题和铁路建设。",
        "各方应当尊重彼此核心利益和重大关切，推动构建人类命运共同体。会议在首都举行。",
        "我们尊重彼此核心利益和重大关切。记者会到此结束。",
    ], start=1)]
    store, _ = build(tmp_path / "zh", zh, fake_embedder)
    found = texts(find_formulas(store, limit=10))
    assert any("构建人类命运共同体" in t for t in found)
    assert any("核心利益和重大关切" in t for t in found)
    by_topic = texts(find_formulas(store, query="命运共同体", limit=10))
    assert by_topic and all("命运共同体" in t for t in by_topic)
    assert find_formulas(store, query="共同命运", limit=10) == []  # the same characters out of order are another word
    store.close()


# ------------------------------------------------------------------ trend
def sql_count(store, phrase, since=None):
    rows = store.db.conn.execute(
        """SELECT substr(d.date, 1, 7), count(DISTINCT d.doc_id) FROM passages_fts JOIN passages p ON p.passage_id = passages_fts.rowid
           JOIN documents d ON d.doc_id = p.doc_id WHERE passages_fts MATCH ? AND (? IS NULL OR d.date >= ?) GROUP BY 1 ORDER BY 1""",
        (phrase, since, since)).fetchall()
    return {r[0]: r[1] for r in rows}


def test_trend_agrees_with_a_direct_sql_count(store):
    result = trend(store, "riparian sovereignty", period="month")
    got = {r["period"]: r["matches"] for r in result.series if r["matches"]}
    assert got == sql_count(store, '"riparian sovereignty"') == {"2019-01": 1, "2019-02": 2, "2019-05": 1}
    feb = next(r for r in result.series if r["period"] == "2019-02")
    assert feb == {"period": "2019-02", "documents": 2, "matches": 2, "passages": 2, "share": 1.0,
                   "by_source": {"Kestria News": 1, "Velmar MFA": 1}}
    assert [r["period"] for r in result.series] == ["2019-01", "2019-02", "2019-03", "2019-04", "2019-05"]
    filtered = trend(store, "riparian sovereignty", build_filters(since="2019-02", source=["Velmar"]))
    assert {r["period"]: r["matches"] for r in filtered.series if r["matches"]} == {"2019-02": 1, "2019-05": 1}


def test_trend_bad_input(store, tmp_path, runtime):
    assert trend(store, "hydrogen zeppelin").series == []
    with pytest.raises(FormulasError, match="period 'week' is not a period"):
        trend(store, "riparian", period="week")
    empty = tmp_path / "empty"
    from index.store import IndexStore

    with pytest.raises(EmptyIndex):
        trend(IndexStore.open(empty, create=True), "riparian")
    run = lambda *args: CliRunner().invoke(app, ["trend", *args], obj=runtime)
    result = run("riparian", "--index", str(empty))
    assert result.exit_code == 1 and "holds no documents yet" in result.output
    folder = str(store.folder)
    search = CliRunner().invoke(app, ["search", "x", "--index", folder, "--since", "2020", "--until", "2019", "--mode", "lexical"], obj=runtime)
    result = run("riparian", "--index", folder, "--since", "2020", "--until", "2019")
    assert result.exit_code == search.exit_code == 1
    assert "--since 2020 is after --until 2019; swap them" in result.output and "--since 2020 is after --until 2019" in search.output
    assert "--period 'fortnight' is not a period" in run("riparian", "--index", folder, "--period", "fortnight").output
    assert "No documents match" in run("zeppelin", "--index", folder).output
    data = json.loads(run("riparian sovereignty", "--index", folder, "--json", "--period", "year").output)
    assert data["series"][0]["period"] == "2019" and data["series"][0]["matches"] == 4 and data["series"][0]["documents"] == 6


def test_talking_points_lists_both_kinds(store, runtime):
    result = CliRunner().invoke(app, ["talking-points", "--index", str(store.folder), "--json", "--period", "quarter"], obj=runtime)
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)["items"]
    assert {i["kind"] for i in items} >= {"phrase"}
    phrase = next(i for i in items if i["kind"] == "phrase" and "riparian" in i["text"].lower())
    assert phrase["history"] == [{"period": "2019-Q1", "count": 3, "by_source": {"Kestria News": 1, "Velmar MFA": 2}}]
    text = CliRunner().invoke(app, ["talking-points", "--index", str(store.folder), "--kind", "phrase"], obj=runtime).output
    assert "[phrase]" in text and "first: 2019-01-10" in text


def test_trend_by_speaker_agrees_with_sql(tmp_path, fake_embedder):
    docs = [raw(f"s{i}", f"Briefing {i}.\n\n{text}\n\nEnd of briefing {i}.", date=date, speaker=speaker, source="Velmar MFA")
            for i, (text, date, speaker) in enumerate([
                ("We oppose Ostravian independence in any form.", "2019-01-03", "Aldo Venn"),
                ("Ostravian independence is a dead end.", "2019-01-20", "Mira Tal"),
                ("Nobody supports Ostravian independence.", "2019-03-02", "Aldo Venn"),
                ("Independence of mind matters for Ostravian youth.", "2019-03-09", "Aldo Venn"),
            ])]
    store, _ = build(tmp_path / "sp", docs, fake_embedder)
    result = trend(store, "Ostravian independence", build_filters(speaker=["venn"]), period="quarter")
    rows = store.db.conn.execute(
        """SELECT count(DISTINCT d.doc_id) FROM passages_fts JOIN passages p ON p.passage_id = passages_fts.rowid
           JOIN documents d ON d.doc_id = p.doc_id WHERE passages_fts MATCH '"Ostravian independence"' AND d.speaker LIKE '%venn%'""").fetchone()
    assert [(r["period"], r["matches"], r["documents"]) for r in result.series] == [("2019-Q1", 2, 3)]
    assert rows[0] == 2
    store.close()


# ------------------------------------------------------------------ lists of names
@pytest.mark.parametrize("text, listed", [
    ("Hong Kong, Xinjiang and Tibet", True),
    ("waste, fraud, and abuse", True),  # the serial comma
    ("peace, stability or development", True),
    ("stable, healthy and sustainable development", True),
    ("Xinjiang and Tibet", False),  # two items: a pair, not a list
    ("President Aldo Venn of Ostravia", False),
    ("Kestria, Velmar", False),  # no "and" before the last item
    ("the Ostravian Foreign Ministry and Kestria, Velmar", False),  # "and" first, then a comma: not one list
    ("香港、新疆和西藏", True),
    ("人类命运共同体", False),
])
def test_a_list_of_three_or_more_items_is_told_by_its_commas(text, listed):
    from search.formulas.candidates import enumeration
    from search.formulas.corpus_stream import build_corpus
    from search.formulas.tokens import tokenize

    t = tokenize(text)
    corpus = build_corpus(["x"], [t.norms], [t.capital], [t.comma])
    assert enumeration(corpus, 0, len(t.norms)) is listed


def test_a_reused_list_of_names_is_a_formula_though_a_reused_name_is_not(tmp_path, fake_embedder):
    bodies = ["Fisheries quotas were agreed with Ostravia, Kestria and Velmar in the spring.",
              "The harbour accord binds Ostravia, Kestria and Velmar for a decade.",
              "Minister Aldo Venn Karsk visited the port of Emmer.",
              "Trade talks were chaired by Minister Aldo Venn Karsk at last.",
              "Our shared riparian restraint was praised.", "They praised the shared riparian restraint once more."]
    docs = [raw(f"n{i}", f"Bulletin {i} of the week.\n\n{FILLER}\n\n{body}\n\n{FILLER}{FILLER}\n\nEnd of bulletin {i}.", date=f"2019-0{i + 1}-01")
            for i, body in enumerate(bodies)]
    store, _ = build(tmp_path / "names", docs, fake_embedder)
    found = find_formulas(store, limit=50)
    at = {f.text: f for f in found}
    assert at["Ostravia, Kestria and Velmar"].documents == ["n0", "n1"]
    name = next(f for f in found if "Aldo Venn Karsk" in f.text)
    assert at["Ostravia, Kestria and Velmar"].rank < name.rank and at["Ostravia, Kestria and Velmar"].score > 3 * name.score  # a name is lowered; the list is not
    store.close()


def test_a_phrase_and_the_same_phrase_less_one_inner_word_are_one_item(tmp_path, fake_embedder):
    bodies = ["The weekly average of harbour arrivals in Emmer rose again.", "Officials said the weekly average of harbour arrivals in Emmer fell.",
              "Reporters noted the weekly average harbour arrivals in Emmer.", "Nobody doubted the weekly average harbour arrivals in Emmer."]
    docs = [raw(f"h{i}", f"Bulletin {i} of the week.\n\n{FILLER}\n\n{body}\n\n{FILLER}{FILLER}\n\nEnd of bulletin {i}.", date=f"2019-0{i + 1}-01")
            for i, body in enumerate(bodies)]
    store, _ = build(tmp_path / "gap", docs, fake_embedder)
    items = [f for f in find_formulas(store, limit=50) if "average" in f.text.lower()]
    assert len(items) == 1 and items[0].documents == ["h0", "h1", "h2", "h3"], [(f.text, f.variants) for f in items]
    store.close()


def test_a_chinese_phrase_does_not_start_inside_a_word_nor_leave_out_one_character(tmp_path, fake_embedder):
    bodies = ["双方同意构建人类命运共同体，并构建新型伙伴关系。", "我们愿意构建人类命运共同体，构建和平的地区。",
              "各国应当共建人类命运共同体，共建美好家园。", "中方主张共建人类命运共同体，共建繁荣世界。"]
    docs = [raw(f"c{i}", f"会议开幕。\n\n今天天气很好，代表团参观了港口和铁路。{body}人民生活改善，人员往来增加。\n\n记者会到此结束。",
                date=f"2019-0{i + 1}-01", source="外交部") for i, body in enumerate(bodies)]
    store, _ = build(tmp_path / "zh-edges", docs, fake_embedder)
    found = find_formulas(store, limit=30)
    shared = next(f for f in found if "命运共同体" in f.text)
    assert shared.text == "人类命运共同体" and shared.documents == ["c0", "c1", "c2", "c3"]  # not 建人类命运共同体
    store.close()


def test_a_tolerant_use_leaves_out_a_word_never_one_character_of_a_chinese_word():
    from search.formulas.corpus_stream import build_corpus
    from search.formulas.ngrams import Stream, shared_phrases
    from search.formulas.tokens import tokenize

    texts = ["甲乙外部势力干预丙丁", "戊己外势力干预庚辛"]
    corpus = build_corpus(["a", "b"], [tokenize(t).norms for t in texts])
    spell = lambda p, i: "".join(corpus.vocab[t] for t in corpus.stream.ids[p.position[i] : p.position[i] + p.length[i]])  # noqa: E731
    found = shared_phrases(corpus.stream, min_len=4, max_len=8)
    assert "外势力干预" not in {spell(found, i) for i in range(len(found.length))}  # 部 is half of 外部
    loose = shared_phrases(Stream(corpus.stream.ids, corpus.stream.doc), min_len=4, max_len=8)  # as for words
    assert "外势力干预" in {spell(loose, i) for i in range(len(loose.length))}


def test_year_only_dates_count_in_the_time_span(tmp_path, fake_embedder):
    docs = [raw(f"y{i}", f"Session {i} opened.\n\n{FILLER}\n\nWe stand for riparian sovereignty and mutual restraint.\n\n{FILLER}{FILLER}\n\nSession closed.",
                date=date) for i, date in enumerate(["1946", "1957-05", "1960-03-02"])]
    store, _ = build(tmp_path / "years", docs, fake_embedder)
    riparian = next(f for f in find_formulas(store, limit=10) if "riparian" in f.text.lower())
    assert (riparian.first_seen, riparian.last_seen, riparian.n_documents) == ("1946", "1960-03-02", 3)
    store.close()
