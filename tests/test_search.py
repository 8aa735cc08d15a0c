"""Search with a deterministic embedder over documents written here: exact ranks, modes, filters, caps, highlights."""
from __future__ import annotations

import pytest

from search.batch import read_queries
from search.engine import SearchRequest, search
from search.errors import InvalidQuery
from search.filters import Filters, parse_bound
from search.fusion import reciprocal_rank_fusion
from search.highlight import highlight_spans, snippet
from search.lexical import fts_query
from tests.builders import build, raw

RIVER = ("The river treaty binds Arden and Vell to share the water of the northern river.\n\n"
         "Arden accused Vell of diverting the river water upstream in breach of the treaty.\n\n"
         "The treaty commission will meet on the river in June to measure the water.")
DOCS = [
    raw("river", RIVER, title="River treaty", source="Arden Foreign Ministry", date="2020-03-01", speaker="Mira Tal", lang="en"),
    raw("fish", "Vell and Osland signed a fisheries accord limiting trawler catches in the shared bay.",
        source="Vell News Agency", date="2021-07-15", speaker="Ivo Brandt", lang="en"),
    raw("tariff", "Osland will raise tariffs on imported steel next month, the trade minister announced.",
        source="Osland Wire", date="2022-11-30", lang="en"),
    raw("undated", "Arden proposed new talks on the river water with Vell, without giving a date.", source="Arden Foreign Ministry"),
    raw("zh", "\u5916\u4ea4\u90e8\u53d1\u8a00\u4eba\u8868\u793a\uff0c\u53cc\u65b9\u5c06\u7ee7\u7eed\u5c31\u6cb3\u6d41\u6761\u7ea6\u4fdd\u6301\u6c9f\u901a\u3002"
        "\u8fd9\u662f\u91cd\u8981\u7684\u4e00\u6b65\uff0c\u6211\u4eec\u6b22\u8fce\u5bf9\u8bdd\u3002", source="Vell News Agency", date="2021-01-01"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from tests.fakes import FakeEmbedder

    store, report = build(tmp_path_factory.mktemp("search") / "idx", DOCS, FakeEmbedder())
    assert report.added == 5 and store.db.counts()["passages"] == 7
    return store


def _run(store, fake_embedder, query, **kw):
    return search(store, fake_embedder, SearchRequest(query, **kw)).results


def _ranked(store, fake_embedder, query, **kw):
    return [(h.doc_id, h.ordinal) for h in _run(store, fake_embedder, query, **kw)]


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_each_mode_ranks_the_matching_document_first(store, fake_embedder, mode):
    assert _ranked(store, fake_embedder, "steel tariffs", mode=mode)[0] == ("tariff", 0)
    assert _ranked(store, fake_embedder, "trawler catches in the bay", mode=mode)[0] == ("fish", 0)


def test_lexical_returns_only_matching_passages(store, fake_embedder):
    assert _ranked(store, fake_embedder, "steel tariffs", mode="lexical") == [("tariff", 0)]
    assert _ranked(store, fake_embedder, "fisheries", mode="lexical") == [("fish", 0)]
    assert _ranked(store, fake_embedder, "penguins", mode="lexical") == []
    # A quoted phrase matches only where its words stand together.
    assert sorted(_ranked(store, fake_embedder, '"river water"', mode="lexical")) == [("river", 1), ("undated", 0)]


def test_dense_ranks_by_shared_words(store, fake_embedder):
    hits = _run(store, fake_embedder, "river water treaty", mode="dense", k=3, per_doc=5)
    assert [(h.doc_id, h.ordinal) for h in hits] == [("river", 0), ("river", 1), ("river", 2)]
    assert hits[0].score > hits[1].score >= hits[2].score
    assert [h.rank for h in hits] == [1, 2, 3]


def test_per_doc_cap_and_k(store, fake_embedder):
    for per_doc, expected in ((1, 1), (2, 2), (3, 3)):
        hits = _run(store, fake_embedder, "river water treaty", mode="dense", per_doc=per_doc)
        assert sum(h.doc_id == "river" for h in hits) == expected
    default = _run(store, fake_embedder, "river water treaty", mode="hybrid")
    assert sum(h.doc_id == "river" for h in default) == 2  # --per-doc defaults to 2
    assert len(_run(store, fake_embedder, "river water treaty", mode="dense", k=2)) == 2


def test_hit_carries_metadata_and_exact_offsets(store, fake_embedder):
    hit = _run(store, fake_embedder, "diverting upstream", mode="lexical")[0]
    assert (hit.doc_id, hit.title, hit.source, hit.date, hit.date_status, hit.speaker, hit.lang) == (
        "river", "River treaty", "Arden Foreign Ministry", "2020-03-01", "given", "Mira Tal", "en")
    stored_text = store.db.document("river")["text"]
    assert stored_text[hit.char_start:hit.char_end] == hit.text == "Arden accused Vell of diverting the river water upstream in breach of the treaty."
    undated = _run(store, fake_embedder, "proposed talks", mode="lexical")[0]
    assert (undated.doc_id, undated.date, undated.date_status) == ("undated", None, "unknown")
    data = hit.as_dict()
    assert {"rank", "score", "passage_id", "doc_id", "title", "source", "date", "date_status", "speaker", "lang", "text",
            "char_start", "char_end", "highlights", "snippet"} <= set(data)


@pytest.mark.parametrize("filters, expected", [
    (dict(since="2021"), {"fish", "tariff", "zh"}),
    (dict(since="2021", include_undated=True), {"fish", "tariff", "zh", "undated"}),
    (dict(until="2020-12"), {"river"}),
    (dict(since="2021-07-15", until="2021-07-15"), {"fish"}),
    (dict(sources=["arden"]), {"river", "undated"}),
    (dict(sources=["osland wire", "VELL NEWS"]), {"tariff", "fish", "zh"}),
    (dict(speakers=["ivo"]), {"fish"}),
    (dict(langs=["ZH"]), {"zh"}),
    (dict(langs=["en"], since="2021"), {"fish", "tariff"}),
    (dict(sources=["100%_sure"]), set()),
])
@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_filters_apply_exactly_in_every_mode(store, fake_embedder, filters, expected, mode):
    query = "river water treaty tariffs steel trawler fisheries proposed talks \u6cb3\u6d41\u6761\u7ea6"
    docs = {h.doc_id for h in _run(store, fake_embedder, query, mode=mode, k=50, per_doc=5, filters=Filters.build(**filters))}
    assert docs == expected  # lexical mode too finds the Chinese text, by the query's \u6cb3\u6d41\u6761\u7ea6


def test_highlights_and_snippet(store, fake_embedder):
    hit = _run(store, fake_embedder, "steel tariffs", mode="lexical")[0]
    assert [hit.text[a:b] for a, b in hit.highlights] == ["tariffs", "steel"]
    assert hit.snippet == hit.text and hit.snippet_highlights == hit.highlights
    text = "Rivers matter. " + "filler words here " * 40 + "The treaty on the river stands, the minister said. " + "more filler " * 30
    spans = highlight_spans(text, "river treaty")
    assert [text[a:b] for a, b in spans] == ["Rivers", "treaty", "river"]
    snip, snip_spans = snippet(text, spans, width=120)
    assert snip.startswith("\u2026") and snip.endswith("\u2026") and len(snip) <= 122
    assert [snip[a:b] for a, b in snip_spans] == ["treaty", "river"]
    phrase = highlight_spans("They signed the River Treaty in Arden.", '"river treaty"')
    assert phrase == [(16, 28)]


@pytest.mark.parametrize("query", ['"unbalanced', "river AND", "NOT water", "col:river", "river*", "NEAR(a b)", "(((", "-river", "?!", "'"])
def test_hostile_lexical_queries_do_not_fail(store, fake_embedder, query):
    for mode in ("lexical", "hybrid"):
        search(store, fake_embedder, SearchRequest(query, mode=mode))
    assert fts_query("?!") is None


@pytest.mark.parametrize("kwargs, message, cli_message", [
    (dict(query="  "), "the query is empty", "the query is empty"),
    (dict(query="x" * 2001), "the query is 2001 characters; the limit is 2000", "the query is 2001 characters; the limit is 2000"),
    (dict(query="river", mode="fuzzy"), "mode 'fuzzy' is not one of hybrid, dense, lexical", "--mode 'fuzzy' is not one of hybrid, dense, lexical"),
    (dict(query="river", k=0), "k 0 is out of range; use 1 to 1000", "-k 0 is out of range; use 1 to 1000"),
    (dict(query="river", per_doc=0), "per_doc 0 must be at least 1", "--per-doc 0 must be at least 1"),
])
def test_invalid_requests(store, fake_embedder, kwargs, message, cli_message):
    """The library names fields (k, per_doc); the CLI words the same error with its flags."""
    from search.cli.app import cli_message as worded_for_cli

    with pytest.raises(InvalidQuery, match=message) as caught:
        search(store, fake_embedder, SearchRequest(**kwargs))
    assert str(caught.value).startswith(message) and worded_for_cli(caught.value).startswith(cli_message)


def test_date_bounds():
    from search.cli.app import cli_message

    assert parse_bound("2019", False, "since") == "2019-01-01"
    assert parse_bound("2019", True, "until") == "2019-12-31"
    assert parse_bound("2020-02", True, "until") == "2020-02-29"
    assert parse_bound("2020-2-3", False, "since") == "2020-02-03"
    with pytest.raises(InvalidQuery, match="^since 'last week' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD") as caught:
        Filters.build(since="last week")
    assert caught.value.field == "since"
    assert cli_message(caught.value) == "--since 'last week' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. --since 2019-05)"
    with pytest.raises(InvalidQuery, match="month must be 1-12"):
        Filters.build(until="2020-13")
    with pytest.raises(InvalidQuery, match="day must be 1-29"):
        Filters.build(until="2020-02-30")
    with pytest.raises(InvalidQuery, match="^since 2021 is after until 2020; swap them") as caught:
        Filters.build(since="2021", until="2020")
    assert caught.value.fields == ("since", "until") and cli_message(caught.value) == "--since 2021 is after --until 2020; swap them"


def test_reciprocal_rank_fusion():
    fused = reciprocal_rank_fusion([[(1, 9.0), (2, 5.0)], [(2, 0.9), (3, 0.5)]])
    assert [i for i, _ in fused] == [2, 1, 3]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_read_queries(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text("river treaty\n\n" + '{"id": "q-fish", "query": "trawler catches"}\n' + '{"query": "steel"}\n')
    assert read_queries(path) == [("1", "river treaty"), ("q-fish", "trawler catches"), ("4", "steel")]
    path.write_text('{"id": 1, "query": ""}\n')
    with pytest.raises(InvalidQuery, match="q.txt:1: no 'query' text in this JSON line"):
        read_queries(path)
    path.write_text("{broken\n")
    with pytest.raises(InvalidQuery, match="q.txt:1: malformed JSON"):
        read_queries(path)
    path.write_text("\n\n")
    with pytest.raises(InvalidQuery, match="holds no queries; put one per line"):
        read_queries(path)
    with pytest.raises(InvalidQuery, match="cannot read queries from"):
        read_queries(tmp_path / "absent.txt")


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_long_documents_do_not_starve_the_per_doc_cap(tmp_path, fake_embedder, mode):
    """Three 60-passage documents fill the first candidates; the other matching documents must still come."""
    docs = [raw(f"big{i}", "\n\n".join(f"Paragraph {j} of long report {i} on the river treaty and the river." for j in range(60)))
            for i in range(3)]
    docs += [raw(f"small{i}", f"Note {i} names the river once among words on fishing quotas, tariffs and steel.") for i in range(12)]
    store, _ = build(tmp_path / "idx", docs, fake_embedder)
    hits = search(store, fake_embedder, SearchRequest("river", mode=mode, k=10)).results
    assert len(hits) == 10 and [h.rank for h in hits] == list(range(1, 11))
    assert sorted(h.doc_id for h in hits[:6]) == ["big0", "big0", "big1", "big1", "big2", "big2"]
    assert all(h.doc_id.startswith("small") for h in hits[6:])
    assert len(search(store, fake_embedder, SearchRequest("river", mode=mode, k=50)).results) == 18  # 3 x 2 + 12 x 1


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_highlight_off_returns_the_same_ranking_without_spans(store, fake_embedder, mode):
    on = search(store, fake_embedder, SearchRequest("river treaty", mode=mode, k=5))
    off = search(store, fake_embedder, SearchRequest("river treaty", mode=mode, k=5, highlight=False))
    assert [(h.passage_id, h.score) for h in off.results] == [(h.passage_id, h.score) for h in on.results]
    assert any(h.highlights for h in on.results)
    assert all(h.highlights == [] and h.snippet == h.text for h in off.results)
