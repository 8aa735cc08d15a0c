"""The core store's read queries: passage views, ids by filter, lexical candidates, filters as SQL for any alias."""
from __future__ import annotations

import pytest

from index import passage_queries as pq
from index.filter_sql import where
from index.passage_view import CITATION_FIELDS, VIEW_FIELDS, PassageView, date_label
from search.filters import Filters
from search.lexical import fts_query
from tests.builders import build, raw

DOCS = [
    raw("river", "The river treaty binds Arden and Vell.\n\nArden accused Vell of diverting the river water upstream.",
        title="River treaty", source="Arden Foreign Ministry", date="2020-03-01", speaker="Mira Tal", lang="en", url="https://a.example/r"),
    raw("fish", "Vell and Osland signed a fisheries accord on the river delta.", source="Vell_News 100%", date="2021-07-15", lang="EN"),
    raw("undated", "Arden proposed new talks on the river water with Vell.", source="Arden Foreign Ministry"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from tests.fakes import FakeEmbedder

    store, _ = build(tmp_path_factory.mktemp("pq") / "idx", DOCS, FakeEmbedder())
    return store


def _ids(store) -> dict[tuple[str, int], int]:
    return {(v.doc_id, v.ordinal): v.passage_id for v in pq.all_passage_views(store.db.conn)}


def test_passage_views_carry_the_passage_and_its_document(store):
    ids = _ids(store)
    assert list(ids) == [("fish", 0), ("river", 0), ("river", 1), ("undated", 0)]  # by document id, then ordinal
    view = pq.passage_view(store.db.conn, ids[("river", 1)])
    assert view == PassageView(passage_id=ids[("river", 1)], doc_id="river", title="River treaty", source="Arden Foreign Ministry",
                               date="2020-03-01", date_status="given", speaker="Mira Tal", lang="en", url="https://a.example/r",
                               ordinal=1, text="Arden accused Vell of diverting the river water upstream.",
                               char_start=40, char_end=97, speaker_status="given", role="statement", actor=None, actor_status="unknown",
                               doc_speaker="Mira Tal")
    assert DOCS[0].text[view.char_start:view.char_end] == view.text
    assert pq.passage_view(store.db.conn, ids[("undated", 0)]).date_status == "unknown"
    assert pq.passage_view_at(store.db.conn, "river", 1) == view and pq.passage_view_at(store.db.conn, "river", 2) is None
    # Missing ids are simply absent; more ids than one IN (...) may bind are read in slices.
    wanted = [ids[("fish", 0)], 999_999] + list(range(10_000, 11_000))
    assert list(pq.passage_views(store.db.conn, wanted)) == [ids[("fish", 0)]]
    assert pq.doc_ids_of(store.db.conn, list(ids.values()) + [999_999]) == {pid: doc for (doc, _), pid in ids.items()}
    assert pq.doc_id_by_passage(store.db.conn) == {pid: doc for (doc, _), pid in ids.items()}


def test_view_dicts_keep_the_field_order_and_citation_subset(store):
    view = pq.passage_view_at(store.db.conn, "fish", 0)
    assert tuple(view.as_dict()) == VIEW_FIELDS == ("passage_id", "doc_id", "title", "source", "date", "date_status", "speaker", "lang",
                                                    "url", "ordinal", "text", "char_start", "char_end", "speaker_status", "role",
                                                    "actor", "actor_status", "answers", "question", "doc_speaker")
    assert view.as_dict(CITATION_FIELDS) == {"passage_id": view.passage_id, "doc_id": "fish",
                                             "title": "Vell and Osland signed a fisheries accord on the river delta.", "source": "Vell_News 100%",
                                             "speaker": "Vell_News 100%", "role": "narration", "actor": None, "actor_status": "unknown",
                                             "date": "2021-07-15"}  # narration: spoken by the outlet
    assert (date_label("2020-01-01", "inferred"), date_label("2020-01-01", "given"), date_label(None, "unknown")) == (
        "2020-01-01 (inferred)", "2020-01-01", "date unknown")


@pytest.mark.parametrize("filters, expected", [
    (Filters(), {"fish", "river", "undated"}),
    (Filters.build(since="2021"), {"fish"}),
    (Filters.build(until="2020-03"), {"river"}),
    (Filters.build(since="2021", include_undated=True), {"fish", "undated"}),
    (Filters.build(sources=["arden"]), {"river", "undated"}),
    (Filters.build(sources=["foreign_ministry"]), set()),  # '_' and '%' are characters, not LIKE wildcards
    (Filters.build(sources=["a%n"]), set()),
    (Filters.build(sources=["vell_news 100%"]), {"fish"}),
    (Filters.build(speakers=["tal"], langs=["en"]), {"river"}),
    (Filters.build(langs=["en"]), {"fish", "river", "undated"}),  # 'EN' too: codes compare case-insensitively
])
def test_filters_select_documents_and_passages(store, filters, expected):
    conn = store.db.conn
    assert set(pq.document_ids(conn, filters)) == expected
    assert set(pq.doc_ids_of(conn, pq.passage_ids_matching(conn, filters).tolist()).values()) == expected


def test_filters_become_sql_for_any_alias():
    clause, params = where(Filters.build(since="2020", until="2020", sources=["a%"], langs=["zh"], include_undated=True), "docs")
    # Dates compare at their precision (issue 14): the first and last day a year or month covers.
    first = "(CASE length(docs.date) WHEN 4 THEN docs.date || '-01-01' WHEN 7 THEN docs.date || '-01' ELSE docs.date END)"
    last = ("(CASE length(docs.date) WHEN 4 THEN docs.date || '-12-31' WHEN 7 THEN date(docs.date || '-01', '+1 month', '-1 day') "
            "ELSE docs.date END)")
    assert clause == (f"(({first} >= ? AND {last} <= ?) OR docs.date IS NULL) AND (docs.source LIKE ? ESCAPE '\\') "
                      "AND (lower(docs.lang) = ?)")
    assert params == ["2020-01-01", "2020-12-31", "%a\\%%", "zh"]
    assert where(Filters(), "x") == ("1", []) and where(None) == ("1", [])


def test_lexical_candidates_rank_the_same_with_a_filter_that_keeps_everything(store):
    conn = store.db.conn
    expression = fts_query("river water Vell")
    plain = pq.lexical_candidates(conn, expression, Filters(), 10)  # FTS alone
    everything = pq.lexical_candidates(conn, expression, Filters.build(since="1900", include_undated=True), 10)  # through the joins
    assert plain == everything and len(plain) == 4
    assert [bm25 for _, bm25 in plain] == sorted(bm25 for _, bm25 in plain)  # best (lowest bm25) first
    only_arden = pq.lexical_candidates(conn, expression, Filters.build(sources=["arden"]), 10)
    assert only_arden == [c for c in plain if pq.passage_view(conn, c[0]).source == "Arden Foreign Ministry"]
    assert pq.lexical_candidates(conn, expression, Filters(), 2) == plain[:2]
