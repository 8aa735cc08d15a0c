"""A model card's declared languages: an English-only model is kept out of hybrid search for CJK queries, and said so."""
from __future__ import annotations

import pytest

from index.embedding.languages import declared_languages, reads_cjk
from search.engine import SearchRequest, search
from tests.builders import build, raw
from tests.fakes import FakeEmbedder

DOCS = [
    raw("zh-river", "发言人说，河流条约委员会将于六月开会，讨论水量分配。", lang="zh"),
    raw("zh-port", "双方讨论港口建设与渔业合作，同意加强沟通。", lang="zh"),
    raw("en-river", "The river treaty commission meets in June to discuss water quotas.", lang="en"),
    raw("en-steel", "Osland will raise tariffs on imported steel next month.", lang="en"),
]


class EnglishOnly(FakeEmbedder):
    languages = frozenset({"en"})


@pytest.mark.parametrize("card, expected", [
    ("---\nlanguage: en\nlicense: apache-2.0\n---\n# model", {"en"}),
    ("---\nlicense: mit\nlanguage:\n- multilingual\n- zh\n- de\ntags:\n- x\n---\n", {"multilingual", "zh", "de"}),
    ("---\nlanguage: [en, 'zh-CN']\n---\n", {"en", "zh-cn"}),
    ("---\nlicense: mit\n---\n", None),
    ("# a card without front matter\nlanguage: en\n", None),
])
def test_declared_languages_from_the_model_card(tmp_path, card, expected):
    (tmp_path / "README.md").write_text(card, encoding="utf-8")
    assert declared_languages(tmp_path) == (frozenset(expected) if expected else None)


def test_no_card_means_unknown_and_unknown_reads_everything(tmp_path):
    assert declared_languages(tmp_path) is None and declared_languages(None) is None
    assert reads_cjk(None) and reads_cjk(frozenset({"multilingual"})) and reads_cjk(frozenset({"zh-tw", "en"}))
    assert not reads_cjk(frozenset({"en"})) and not reads_cjk(frozenset({"en", "de", "fr"}))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store, _ = build(tmp_path_factory.mktemp("lang") / "idx", DOCS, FakeEmbedder())
    return store


def test_hybrid_with_an_english_only_model_searches_chinese_lexically_and_says_so(store):
    query = "河流条约"
    lexical = search(store, FakeEmbedder(), SearchRequest(query, mode="lexical"))
    hybrid = search(store, EnglishOnly(), SearchRequest(query, mode="hybrid"))
    assert [h.doc_id for h in hybrid.results] == [h.doc_id for h in lexical.results] == ["zh-river"]
    assert [h.score for h in hybrid.results] == [h.score for h in lexical.results]
    assert hybrid.mode == "hybrid" and hybrid.notes == [
        "the model fake-hash-embedder declares en only, so this query's Chinese/Japanese/Korean text was searched "
        "lexically alone (dense results would be close to chance)"]
    assert hybrid.as_dict()["notes"] == hybrid.notes


def test_dense_still_runs_but_warns_and_english_queries_are_untouched(store):
    dense = search(store, EnglishOnly(), SearchRequest("河流条约", mode="dense"))
    assert len(dense.results) == 4 and dense.notes[0].startswith("the model fake-hash-embedder declares en only: dense results")
    english = search(store, EnglishOnly(), SearchRequest("river treaty water", mode="hybrid"))
    unknown = search(store, FakeEmbedder(), SearchRequest("river treaty water", mode="hybrid"))
    assert english.notes == [] and [h.passage_id for h in english.results] == [h.passage_id for h in unknown.results]
    assert search(store, FakeEmbedder(), SearchRequest("河流条约", mode="hybrid")).notes == []  # no card: no guess


def test_the_note_reaches_the_cli_the_api_and_the_page(tmp_path, store):
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from search.cli import app
    from search.cli.app import Runtime
    from search.web.app import create_app

    runtime = Runtime(load_embedder=lambda model=None: EnglishOnly())
    folder = store.folder
    result = CliRunner().invoke(app, ["search", "河流条约", "--index", str(folder)], obj=runtime)
    assert result.exit_code == 0 and result.output.startswith("note: the model fake-hash-embedder declares en only")
    result = CliRunner().invoke(app, ["search", "河流条约", "--index", str(folder), "--json"], obj=runtime)
    assert result.exit_code == 0 and '"notes": [' in result.output and "searched lexically alone" in result.output
    with TestClient(create_app(store, EnglishOnly, allowed_hosts=["testserver"])) as client:
        body = client.get("/api/search", params={"q": "河流条约"}).json()
        assert [h["doc_id"] for h in body["results"]] == ["zh-river"] and "searched lexically alone" in body["notes"][0]
        page = client.get("/", params={"q": "河流条约"}).text
        assert '<p class="note">the model fake-hash-embedder declares en only' in page


def test_the_bundled_model_declares_english():
    from index.embedding import bundled_model_path

    assert declared_languages(bundled_model_path()) == frozenset({"en"})
