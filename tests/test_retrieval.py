"""Retrieval as parts: the mode registry, retrievers behind one protocol, the stages, and the rerank seam
(a deterministic fake scorer; exact ranks)."""
from __future__ import annotations

import json
import re

import pytest

from search.errors import InvalidQuery
from search.fusion import reciprocal_rank_fusion
from search.retrieval import (FusionRetriever, Query, Rerank, SearchRequest, evaluation_order, load_cross_encoder, mode_names,
                              modes_help, search)
from search.retrieval.pipeline import candidates
from search.retrieval.stages import Exclude, PerDocCap
from tests.builders import build, raw

RIVER = ("The river treaty binds Arden and Vell to share the water of the northern river.\n\n"
         "Arden accused Vell of diverting the river water upstream in breach of the treaty.\n\n"
         "The treaty commission will meet on the river in June to measure the water.")
DOCS = [
    raw("river", RIVER, title="River treaty", source="Arden Foreign Ministry", date="2020-03-01"),
    raw("fish", "Vell and Osland signed a fisheries accord limiting trawler catches in the shared bay.", source="Vell News Agency"),
    raw("tariff", "Osland will raise tariffs on imported steel next month, the trade minister announced.", source="Osland Wire"),
    raw("undated", "Arden proposed new talks on the river water with Vell, without giving a date.", source="Arden Foreign Ministry"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from tests.fakes import FakeEmbedder

    store, report = build(tmp_path_factory.mktemp("retrieval") / "idx", DOCS, FakeEmbedder())
    assert store.db.counts()["passages"] == 6
    return store


def ranked(response):
    return [(h.rank, h.doc_id, h.ordinal) for h in response.results]


class KeywordScorer:
    """Scores a text by how often it holds `word`: a cross-encoder stand-in whose order we can predict."""
    name = "keyword-scorer"

    def __init__(self, word: str):
        self.word, self.calls = word, []

    def score(self, query, texts):
        self.calls.append((query, list(texts)))
        return [t.lower().count(self.word) for t in texts]


class FixedRetriever:
    """A retriever with a ranking given in advance; records the depths it was asked for."""
    needs_embedder = False

    def __init__(self, ranking):
        self.ranking, self.depths = ranking, []

    def retrieve(self, query, depth):
        self.depths.append(depth)
        return self.ranking[:depth]


# ------------------------------------------------------------------ the registry
def test_modes_are_registered_once_and_every_front_end_reads_them():
    from search.engine import MODES
    from search.evaluation.evaluate import EVAL_MODES
    from search.evaluation.pool import POOL_MODES
    from search.web.schemas import SearchParams

    assert mode_names() == MODES == ("hybrid", "dense", "lexical")
    assert evaluation_order() == EVAL_MODES == POOL_MODES == ("dense", "lexical", "hybrid")  # the fusion after its parts
    assert modes_help() == "hybrid (dense + lexical, fused), dense, or lexical."
    assert SearchParams.model_json_schema()["properties"]["mode"]["enum"] == ["hybrid", "dense", "lexical"]
    assert SearchRequest("x", mode="lexical").needs_embedder is False and SearchRequest("x").needs_embedder is True


def test_the_web_form_lists_the_registered_modes(store, fake_embedder):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from search.web.app import create_app

    with TestClient(create_app(store, lambda: fake_embedder, allowed_hosts=["testserver"])) as client:
        options = [re.sub(r"\s+", " ", o) for o in re.findall(r"<option[^>]*>[^<]*</option>", client.get("/?q=river&mode=dense").text)]
    assert options[:3] == ['<option value="hybrid" >Meaning + words</option>', '<option value="dense" selected>Meaning</option>',
                          '<option value="lexical" >Exact words</option>']


# ------------------------------------------------------------------ retrievers and candidate stages
def test_hybrid_is_the_fusion_of_the_dense_and_lexical_retrievers(store, fake_embedder):
    from search.retrieval import DenseRetriever, LexicalRetriever, get_mode

    query = Query(store, "river water treaty", embedder=fake_embedder)
    dense, lexical = DenseRetriever().retrieve(query, 100), LexicalRetriever().retrieve(query, 100)
    assert get_mode("hybrid").build().retrieve(query, 100) == reciprocal_rank_fusion([dense, lexical])
    fixed = FusionRetriever(FixedRetriever([(1, 9.0), (2, 5.0)]), FixedRetriever([(2, 0.9), (3, 0.5)]))
    assert [pid for pid, _ in fixed.retrieve(query, 10)] == [2, 1, 3]


def test_the_candidate_loop_deepens_when_the_cap_discards_too_much(store):
    ids = {(r["doc_id"], r["ordinal"]): r["passage_id"] for r in store.db.conn.execute("SELECT passage_id, doc_id, ordinal FROM passages")}
    order = [("river", 0), ("river", 1), ("river", 2), ("fish", 0), ("tariff", 0), ("undated", 0)]
    retriever = FixedRetriever([(ids[key], 10.0 - i) for i, key in enumerate(order)])
    stages = [Exclude(frozenset({ids[("fish", 0)]})), PerDocCap(1)]
    chosen = candidates(store, retriever, Query(store, "river"), stages, wanted=3, depth=2)
    assert retriever.depths == [2, 8]  # two river passages gave one candidate: ask four times deeper
    assert chosen == [(ids[("river", 0)], 10.0), (ids[("tariff", 0)], 6.0), (ids[("undated", 0)], 5.0)]


# ------------------------------------------------------------------ the rerank seam
def test_rerank_reorders_the_capped_candidates_by_the_scorer(store, fake_embedder):
    plain = search(store, fake_embedder, SearchRequest("river water treaty", mode="dense", k=3, per_doc=5))
    assert ranked(plain) == [(1, "river", 0), (2, "river", 1), (3, "river", 2)]
    scorer = KeywordScorer("june")
    reranked = search(store, fake_embedder, SearchRequest("river water treaty", mode="dense", k=3, per_doc=5), reranker=scorer)
    # all six passages were scored (k=3 but the reranker sees 50); only the June passage holds the word
    assert len(scorer.calls) == 1 and scorer.calls[0][0] == "river water treaty" and len(scorer.calls[0][1]) == 6
    assert ranked(reranked) == [(1, "river", 2), (2, "river", 0), (3, "river", 1)]  # ties keep the retrieval order
    assert [h.score for h in reranked.results] == [1.0, 0.0, 0.0]
    assert reranked.notes == ["the top 6 passages were reordered by the reranker keyword-scorer"]
    assert json.loads(json.dumps(reranked.as_dict()))["results"][0]["score"] == 1.0


def test_rerank_sees_the_per_document_cap_and_only_its_top_n(store, fake_embedder):
    request = SearchRequest("river water treaty", mode="dense", k=3, per_doc=1)
    assert ranked(search(store, fake_embedder, request)) == [(1, "river", 0), (2, "undated", 0), (3, "fish", 0)]
    by_fish = ranked(search(store, fake_embedder, request, reranker=KeywordScorer("fisheries")))
    assert by_fish == [(1, "fish", 0), (2, "river", 0), (3, "undated", 0)]  # one river passage only: the cap ran first
    from search.retrieval.pipeline import run_hit_stages
    from search.retrieval.stages import StageContext

    hits = search(store, fake_embedder, SearchRequest("river water treaty", mode="dense", k=4, per_doc=5)).results
    assert [(h.doc_id, h.ordinal) for h in hits] == [("river", 0), ("river", 1), ("river", 2), ("undated", 0)]
    top2 = run_hit_stages(StageContext(store, "q"), [Rerank(KeywordScorer("diverting"), top_n=2)], hits, 4)
    assert [(h.rank, h.doc_id, h.ordinal) for h in top2] == [(1, "river", 1), (2, "river", 0), (3, "river", 2), (4, "undated", 0)]


def test_rerank_with_fold_and_a_scorer_that_miscounts(store, fake_embedder):
    request = SearchRequest("river water treaty", mode="lexical", k=2, per_doc=5)
    folded = search(store, fake_embedder, request, fold=True, reranker=KeywordScorer("june"))
    assert ranked(folded) == [(1, "river", 2), (2, "river", 0)]

    class Short(KeywordScorer):
        def score(self, query, texts):
            return [1.0]

    with pytest.raises(InvalidQuery, match="rerank: the scorer keyword-scorer gave 1 scores for 4 passages"):
        search(store, fake_embedder, request, reranker=Short("x"))


def test_load_cross_encoder_refuses_what_is_not_a_cross_encoder(tmp_path, store, fake_embedder):
    with pytest.raises(InvalidQuery, match=r"rerank '.*nowhere' is not a model folder \(no config.json\)"):
        load_cross_encoder(tmp_path / "nowhere")
    embedding_model = tmp_path / "minilm"
    embedding_model.mkdir()
    (embedding_model / "config.json").write_text(json.dumps({"architectures": ["BertModel"], "model_type": "bert"}))
    with pytest.raises(InvalidQuery, match="is not a cross-encoder: its config.json declares architectures BertModel"):
        load_cross_encoder(embedding_model)
    # the request names the folder; the search loads it, and refuses it the same way
    with pytest.raises(InvalidQuery, match="is not a cross-encoder"):
        search(store, fake_embedder, SearchRequest("river", mode="lexical", rerank=str(embedding_model)))


@pytest.mark.model
def test_a_local_cross_encoder_folder_fills_the_seam(tmp_path, store, fake_embedder):
    """A tiny randomly initialised BERT cross-encoder, written here (no download): its scores decide the order."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    words = sorted({w.strip(".,").lower() for d in DOCS for w in d.text.split()} | {"river", "water", "treaty"})
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]) + "\n")
    folder = tmp_path / "tiny-cross-encoder"
    torch.manual_seed(0)
    config = BertConfig(vocab_size=5 + len(words), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
                        max_position_embeddings=128, num_labels=1, initializer_range=0.3)
    BertForSequenceClassification(config).save_pretrained(folder)
    BertTokenizerFast(vocab_file=str(vocab)).save_pretrained(folder)
    scorer = load_cross_encoder(folder)
    request = SearchRequest("river water treaty", mode="lexical", k=3, per_doc=5)
    texts = [h.text for h in search(store, fake_embedder, SearchRequest(request.query, mode="lexical", k=50, per_doc=5)).results]
    assert len(texts) == 4
    scores = scorer.score(request.query, texts)
    response = search(store, fake_embedder, request, reranker=scorer)
    assert [h.text for h in response.results] == [t for _, t in sorted(zip(scores, texts), key=lambda st: -st[0])][:3]
    assert response.notes == [f"the top {len(texts)} passages were reordered by the reranker tiny-cross-encoder"]


def test_cli_rerank_flag_names_a_folder_that_is_not_a_cross_encoder(tmp_path, store, runtime):
    from typer.testing import CliRunner

    from search.cli import app

    (tmp_path / "minilm").mkdir()
    (tmp_path / "minilm" / "config.json").write_text(json.dumps({"architectures": ["BertModel"]}))
    result = CliRunner().invoke(app, ["search", "river", "--mode", "lexical", "--index", str(store.folder), "--rerank", str(tmp_path / "minilm")],
                                obj=runtime)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: --rerank ") and "is not a cross-encoder" in result.stderr  # the field worded as its flag
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_facade_loads_a_rerank_folder_once_for_a_batch_of_queries(tmp_path, store, runtime, monkeypatch):
    from typer.testing import CliRunner

    import search.retrieval.rerank as rerank_module
    from search.cli import app

    loads = []
    monkeypatch.setattr(rerank_module, "load_cross_encoder", lambda folder: loads.append(folder) or KeywordScorer("june"))
    queries = tmp_path / "queries.txt"
    queries.write_text("river water treaty\ntreaty commission\n")
    result = CliRunner().invoke(app, ["search", "--queries", str(queries), "--mode", "lexical", "-k", "1", "--per-doc", "5",
                                      "--index", str(store.folder), "--rerank", str(tmp_path / "cross"), "--json"], obj=runtime)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert loads == [str(tmp_path / "cross")]  # one load, two queries
    assert [(r["query"], r["results"][0]["doc_id"], r["results"][0]["ordinal"]) for r in lines] == [
        ("river water treaty", "river", 2), ("treaty commission", "river", 2)]  # the June passage, by the scorer
    assert all(r["notes"][0].endswith("by the reranker keyword-scorer") for r in lines)
