"""Chinese (CJK) lexical search: words found inside longer clauses, mixed queries, highlights, index upgrade.

Every Chinese text here is invented for the tests; the real corpus is only read at test time.
"""
from __future__ import annotations

import json
import re
import sqlite3

import pytest

from corpus.cjk import cjk_spaced
from index import migrations
from index.ingest import ingest, remove_document
from index.store import IndexStore
from search.engine import SearchRequest, search
from search.filters import Filters
from search.highlight import highlight_spans, snippet
from search.lexical import fts_query, lexical_search
from tests.builders import build, raw
from tests.conftest import shared_corpus

ZH_TEXTS = {
    "border": "两国外长在会谈中表示，愿意就边境河流条约的执行保持密切沟通。",
    "water": "发言人说，河流的水位今年明显下降，条约委员会将于六月开会。",
    "summit": "双方在二十国集团峰会期间举行会谈，讨论港口建设与渔业合作。",
    "apec": "中方欢迎各方在APEC框架下加强渔业合作，共同维护海洋生态。",
}
EN_TEXTS = {
    "fish": "Vell and Osland signed a fisheries accord limiting trawler catches in the shared bay.",
    "tariff": "Osland will raise tariffs on imported steel next month, the trade minister announced.",
    "river": "The river treaty binds Arden and Vell to share the water of the northern river.",
    "talks": "Arden proposed new talks on the river water with Vell; the treaty commission agreed.",
}
DOCS = [raw(d, t, lang="zh", source="Vell News Agency") for d, t in ZH_TEXTS.items()]
DOCS += [raw(d, t, lang="en", source="Arden Wire") for d, t in EN_TEXTS.items()]
EN_QUERIES = ["river treaty", '"river water"', "steel tariffs", "fisheries accord", "Vell", "commission agreed water"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from tests.fakes import FakeEmbedder

    store, report = build(tmp_path_factory.mktemp("cjk") / "idx", DOCS, FakeEmbedder())
    assert report.added == len(DOCS) and store.db.counts()["passages"] == len(DOCS)
    return store


def _lexical(store, fake_embedder, query, **kw):
    return search(store, fake_embedder, SearchRequest(query, mode="lexical", k=20, **kw)).results


def _old_migrations(monkeypatch):
    """Make new indexes as dipsearch did before CJK support: only the first migration (plus the passage attribution
    columns, which today's writer fills; they do not touch the FTS index)."""
    assert migrations.MIGRATIONS[0][0] == "0001_documents_passages"
    attribution = [m for m in migrations.MIGRATIONS if m[0] == "0005_passage_attribution"]
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1] + attribution)


# ------------------------------------------------------------------ the transform and the query


def test_cjk_spaced_splits_cjk_characters_and_leaves_other_text_alone():
    english = "The river treaty, signed 3 May 2020 (COVID-19), isn't void."
    assert cjk_spaced(english) == english
    assert cjk_spaced("在APEC框架下").split() == ["在", "APEC", "框", "架", "下"]
    assert cjk_spaced("東京タワー、서울은").split() == ["東", "京", "タ", "ワ", "ー", "、", "서", "울", "은"]
    assert cjk_spaced(None) is None


def test_cjk_spaced_is_a_space_either_side_of_every_cjk_character_on_random_text():
    import random

    from corpus.cjk import has_cjk

    rnd = random.Random(7)
    alphabet = "ab 1,.\n、。在框架下東京タワー서울은々〇\U00020001·"
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        assert cjk_spaced(text) == "".join(f" {c} " if has_cjk(c) else c for c in text), text


@pytest.mark.parametrize("query, expression", [  # what the FTS expression was before CJK support
    ("steel tariffs", '"steel" OR "tariffs"'),
    ('"river water" talks', '"river water" OR "talks"'),
    ("COVID-19 vaccine", '"covid-19" OR "vaccine"'),
    ("Beijing's position on the South China Sea", '"beijing\'s" OR "position" OR "south" OR "china" OR "sea"'),
    ('self-determination "human rights"', '"human rights" OR "self-determination"'),
    ("the of and", '"the" OR "of" OR "and"'),
])
def test_english_queries_build_the_same_expression_as_before(query, expression):
    assert fts_query(query) == expression


def test_cjk_runs_become_phrases_of_characters():
    assert fts_query("台湾问题") == '"台 湾 问 题"'
    assert fts_query("G20峰会 policy") == '"g20" OR "峰 会" OR "policy"'
    assert fts_query('"双方 同意" 会谈') == '"双 方 同 意" OR "会 谈"'
    # Longer than a word: the whole run, then each adjacent pair once.
    assert fts_query("河流河流条约") == '"河 流 河 流 条 约" OR "河 流" OR "流 河" OR "流 条" OR "条 约"'


# ------------------------------------------------------------------ lexical search in an index


@pytest.mark.parametrize("query", ["河流条约", "港口建设", "峰会", "委员会", "海洋生态", "渔业合作", "APEC"])
def test_a_chinese_word_inside_a_clause_finds_exactly_the_passages_holding_it(store, fake_embedder, query):
    holding = {d for d, t in ZH_TEXTS.items() if query in t}
    hits = _lexical(store, fake_embedder, query)
    assert holding and {h.doc_id for h in hits} == holding
    assert hits[0].doc_id in holding


def test_characters_of_a_word_apart_do_not_match_it(store, fake_embedder):
    # "water" holds 河流 and 条约, but not side by side.
    assert [h.doc_id for h in _lexical(store, fake_embedder, "河流条约")] == ["border"]
    assert {h.doc_id for h in _lexical(store, fake_embedder, "河流 条约")} == {"border", "water"}


def test_mixed_chinese_and_english_query_ranks_the_passage_with_both_first(store, fake_embedder):
    hits = _lexical(store, fake_embedder, "APEC 渔业合作")
    assert [h.doc_id for h in hits] == ["apec", "summit"]
    hits = _lexical(store, fake_embedder, "fisheries 渔业合作")
    assert {h.doc_id for h in hits} == {"apec", "summit", "fish"}


def test_a_sentence_typed_without_spaces_finds_passages_sharing_its_words(store, fake_embedder):
    # 边境河流的水位 is in no passage; border shares 边境 and 河流, water shares 河流 and 水位.
    assert {h.doc_id for h in _lexical(store, fake_embedder, "边境河流的水位")} == {"border", "water"}


def test_hybrid_ranks_the_chinese_passage_first(store, fake_embedder):
    hits = search(store, fake_embedder, SearchRequest("港口建设", mode="hybrid")).results
    assert hits[0].doc_id == "summit"


def test_filters_still_apply_to_chinese_queries(store, fake_embedder):
    assert _lexical(store, fake_embedder, "渔业合作", filters=Filters.build(langs=["en"])) == []
    assert {h.doc_id for h in _lexical(store, fake_embedder, "渔业合作 fisheries", filters=Filters.build(langs=["en"]))} == {"fish"}


# ------------------------------------------------------------------ highlights


def test_highlights_cover_the_matched_chinese_characters(store, fake_embedder):
    hit = _lexical(store, fake_embedder, "河流条约")[0]
    assert [hit.text[a:b] for a, b in hit.highlights] == ["河流条约"]
    assert [hit.snippet[a:b] for a, b in hit.snippet_highlights] == ["河流条约"]
    hit = _lexical(store, fake_embedder, "APEC 渔业合作")[0]
    assert [hit.text[a:b] for a, b in hit.highlights] == ["APEC", "渔业合作"]
    hit = _lexical(store, fake_embedder, '"渔业 合作"')[0]
    assert [hit.text[a:b] for a, b in hit.highlights] == ["渔业合作"]


def test_highlight_spans_in_chinese_text():
    text = "外交部表示，双方就河流，条约保持沟通；G20峰会期间举行会谈，XG20峰会另议。"
    def marked(query):
        return [text[a:b] for a, b in highlight_spans(text, query)]
    assert marked("河流条约") == ["河流，条约"]  # as FTS5 matches: punctuation between tokens
    assert marked("G20") == ["G20"]  # a word next to Chinese characters, but not the one inside XG20
    assert marked("峰会") == ["峰会", "峰会"]
    assert marked("保持沟通期间") == ["保持沟通", "期间"]  # by pairs of characters: 保持, 持沟, 沟通, 通期, 期间
    assert marked("penguins 南极") == []
    long_text = "这是一段用来填充的文字。" * 30 + "双方讨论了河流条约。" + "其他内容。" * 30
    snip, spans = snippet(long_text, highlight_spans(long_text, "河流条约"), width=120)
    assert len(snip) <= 122 and [snip[a:b] for a, b in spans] == ["河流条约"]


# ------------------------------------------------------------------ English unchanged, and upgrading old indexes


def test_english_results_are_exactly_those_of_an_index_made_before(tmp_path, fake_embedder, monkeypatch):
    english = [d for d in DOCS if d.doc_id in EN_TEXTS]
    with monkeypatch.context() as patch:
        _old_migrations(patch)
        old, _ = build(tmp_path / "old", english, fake_embedder)
        before = {q: lexical_search(old.db.conn, q, Filters(), 20) for q in EN_QUERIES}
        old.close()
    new, _ = build(tmp_path / "new", english, fake_embedder)
    after = {q: lexical_search(new.db.conn, q, Filters(), 20) for q in EN_QUERIES}
    assert all(before.values()) and after == before


def test_an_index_made_before_is_upgraded_on_opening_and_then_finds_chinese(tmp_path, fake_embedder, monkeypatch):
    folder = tmp_path / "idx"
    with monkeypatch.context() as patch:
        _old_migrations(patch)
        old, _ = build(folder, DOCS, fake_embedder)
        assert lexical_search(old.db.conn, "河流条约", Filters(), 20) == []  # the old tokens: whole clauses
        english_before = {q: [i for i, _ in lexical_search(old.db.conn, q, Filters(), 20)] for q in EN_QUERIES}
        old.close()

    store = IndexStore.open(folder)
    applied = {r[0] for r in store.db.conn.execute("SELECT name FROM _migrations")}
    assert "0004_cjk_lexical" in applied
    assert [h.doc_id for h in _lexical(store, fake_embedder, "河流条约")] == ["border"]
    assert {h.doc_id for h in _lexical(store, fake_embedder, "渔业合作")} == {"summit", "apec"}
    assert {q: [i for i, _ in lexical_search(store.db.conn, q, Filters(), 20)] for q in EN_QUERIES} == english_before

    # Deleting reindexed passages removes their tokens too (the delete trigger uses the same transform).
    remove_document(store, "border")
    fts = store.db.conn.execute
    assert fts("""SELECT count(*) FROM passages_fts WHERE passages_fts MATCH '"边 境"'""").fetchone()[0] == 0
    assert fts("""SELECT count(*) FROM passages_fts WHERE passages_fts MATCH '"河 流"'""").fetchone()[0] == 1  # water's
    ingest(store, [raw("border2", ZH_TEXTS["border"] + "另有新闻。", lang="zh")], fake_embedder)
    assert [h.doc_id for h in _lexical(store, fake_embedder, "边境河流")] == ["border2"]


def test_a_connection_without_the_transform_cannot_write_passages(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", DOCS[:2], fake_embedder)
    store.close()
    conn = sqlite3.connect(tmp_path / "idx" / "dipsearch.sqlite")
    with pytest.raises(sqlite3.OperationalError, match="no such function: cjk_spaced"):
        conn.execute("DELETE FROM passages")
    assert conn.execute("SELECT count(*) FROM passages").fetchone()[0] == 2
    conn.close()


# ------------------------------------------------------------------ the real corpus (read at test time only)


def test_common_terms_are_found_in_the_chinese_press_conferences(tmp_path, fake_embedder):
    from corpus.readers import read_inputs

    path = shared_corpus("mfa_pressconf_zh_sample.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    store, report = build(tmp_path / "idx", read_inputs([path]), fake_embedder)
    assert report.added == len(records)
    checked = 0
    for term in ("外交部", "一带一路", "发言人", "朝鲜半岛", "台湾问题"):
        holding = {r["id"] for r in records if term in r["text"]}
        if not holding:
            continue
        checked += 1
        ids = [pid for pid, _ in lexical_search(store.db.conn, term, Filters(), 100_000)]
        marks = ",".join("?" * len(ids))
        found = {r[0] for r in store.db.conn.execute(f"SELECT DISTINCT doc_id FROM passages WHERE passage_id IN ({marks})", ids)}
        loose = re.compile(r"\W*".join(term))  # FTS5 also matches the characters split by punctuation
        matching = {r["id"] for r in records if loose.search(r["text"])}
        assert found <= matching, term
        assert len(found & holding) >= 0.95 * len(holding), (term, len(found & holding), len(holding))
    assert checked >= 3, "the sample holds too few of the terms to test"
