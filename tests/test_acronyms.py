"""All-caps acronyms in a lexical query match case-sensitively where passages have them (issue 14): FTS5 is
case-blind, so 'WHO' found every 'who' and, as a stopword, was dropped from 'WHO funding' altogether."""
from __future__ import annotations

import pytest

from search.tokenizer import TOKENIZER
from tests.builders import build, raw

DOCS = [
    raw("who-word", "History will prove who is right and who was wrong about the river, who indeed."),
    raw("who-funding-word", "Those who cut the funding for the harbour will regret it, who else."),
    raw("who-org", "Arden restored its funding to the WHO after the outbreak in Vell."),
    raw("who-org-only", "The WHO team reached Osland on Monday."),
    raw("un-org", "Vell raised the dam dispute at the UN Security Council."),
    raw("un-prefix", "The unfair tariff was un-done by Osland and an unknown official."),
    raw("nato", "Korvath asked to join NATO; Ostravia said nato membership was far off."),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from tests.fakes import FakeEmbedder

    folder = tmp_path_factory.mktemp("acronyms") / "idx"
    store, report = build(folder, DOCS, FakeEmbedder())
    assert report.added == len(DOCS)
    store.close()
    return folder


def ranked(index, query, **kw):
    from search.api import Index

    with Index.open(index, has_model=False) as idx:
        return [h.doc_id for h in idx.search(query, mode="lexical", k=10, **kw)]


@pytest.mark.parametrize("query, acronyms", [
    ("WHO funding", ["WHO"]), ("UN and NATO", ["UN", "NATO"]), ("ASEAN summit on WTO rules", ["ASEAN", "WTO"]),
    ("NGOs in Vell", ["NGOs"]), ("who funds the dam", []), ("WHAT DID THE UN SAY", []), ("WHO UN", ["WHO", "UN"]),
    ("A plan", []), ("Vell's UN-led mission", []),
])
def test_acronyms_of_a_query(query, acronyms):
    assert TOKENIZER.acronyms(query) == acronyms


def test_acronym_is_kept_though_its_word_is_a_stopword():
    assert TOKENIZER.query_terms("WHO funding") == ([], ["who", "funding"])
    assert TOKENIZER.query_terms("who funding") == ([], ["funding"])


def test_acronym_passages_rank_first(index):
    assert ranked(index, "WHO funding")[:2] == ["who-org", "who-org-only"]
    assert set(ranked(index, "WHO funding")) == {"who-org", "who-org-only", "who-word", "who-funding-word"}
    assert set(ranked(index, "WHO")[:2]) == {"who-org", "who-org-only"} and len(ranked(index, "WHO")) == 4
    assert ranked(index, "UN")[0] == "un-org"
    assert ranked(index, "NATO") == ["nato"]


def test_lower_case_query_is_unchanged(index):
    # 'who' alone is a stopword query: every passage with the word, bm25 order, no acronym preference.
    from index.passage_queries import lexical_candidates
    from index.store import IndexStore
    from search.filters import Filters
    from search.lexical import fts_query

    store = IndexStore.open(index)
    try:
        plain = [pid for pid, _ in lexical_candidates(store.db.conn, fts_query("who funding"), Filters(), 10)]
    finally:
        store.close()
    from search.api import Index

    with Index.open(index, has_model=False) as idx:
        assert [h.passage_id for h in idx.search("who funding", mode="lexical", k=10, per_doc=5)] == plain
