"""Approximate vector indexes: recall against exact search, filters, removal, persistence, reindex."""
from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from index import ann
from index.vectors import VectorIndex
from tests.test_cli import corpus, index  # noqa: F401  (fixtures: a small built index)


def clustered(n: int, dim: int = 32, clusters: int = 50, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim))
    x = centres[rng.integers(0, clusters, n)] + 0.35 * rng.normal(size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def data():
    x = clustered(12_000)
    ids = np.arange(1, len(x) + 1, dtype=np.int64) * 3  # ids are not positions
    queries = clustered(200, seed=1)
    exact = VectorIndex.build(32, "flat", [(ids, x)])
    return x, ids, queries, exact.search(queries, 10)[1]


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth)]))


@pytest.mark.parametrize("kind", ["ivf", "hnsw"])
def test_ann_recall_at_10_against_exact(data, kind):
    x, ids, queries, truth = data
    index = VectorIndex.build(32, kind, [(ids[:5000], x[:5000]), (ids[5000:], x[5000:])])
    assert index.index_type == kind and index.size == len(x)
    assert recall(index.search(queries, 10)[1], truth) >= 0.95
    assert recall(index.search(queries, 10)[1], truth) < 1.01


@pytest.mark.parametrize("kind", ["ivf", "hnsw"])
def test_filtered_ann_search_is_exact_and_removal_sticks(data, kind, tmp_path):
    # A third of the vectors: a filter keeping up to EXACT_FILTER_LIMIT passages is searched exactly whatever the
    # index size, and removing from HNSW rebuilds its graph (twice the build time of the 12k-vector index, 3 s).
    x, ids, queries, _ = data
    x, ids = x[:4000], ids[:4000]
    index = VectorIndex.build(32, kind, [(ids, x)])
    allowed = ids[::7]
    flat = VectorIndex.build(32, "flat", [(ids, x)])
    got, want = index.search(queries[:20], 10, allowed), flat.search(queries[:20], 10, allowed)
    assert np.array_equal(got[1], want[1]) and np.allclose(got[0], want[0], atol=1e-5)
    assert set(got[1].ravel()) <= set(allowed)

    top = index.search(queries[:1], 1)[1][0, 0]
    index.remove([top, ids[0]])
    assert index.size == len(x) - 2 and top not in index.search(queries[:1], 50)[1]
    index.add([top], x[ids == top])  # incremental add after removal
    assert index.search(queries[:1], 1)[1][0, 0] == top

    index.save(tmp_path / "v.faiss")
    loaded = VectorIndex.load(tmp_path / "v.faiss", 32)
    assert loaded.index_type == kind and loaded.size == len(x) - 1
    assert np.array_equal(loaded.search(queries, 5)[1], index.search(queries, 5)[1])


def test_ivf_trains_on_few_vectors_and_small_nlist():
    assert ann.nlist_for(100) == 2 and ann.nlist_for(1_000_000) == 4000
    tiny = VectorIndex.build(8, "ivf", [(np.arange(3), np.eye(3, 8, dtype=np.float32))])
    assert tiny.search(np.eye(1, 8, dtype=np.float32), 3)[1][0].tolist()[0] == 0
    empty = VectorIndex.build(8, "ivf", [])
    assert empty.size == 0 and empty.search(np.eye(1, 8, dtype=np.float32), 3)[1][0, 0] == -1


def test_reindex_switches_type_keeps_results_and_auto_follows_size(index, runtime, monkeypatch):
    from search.cli import app
    from index.store import IndexStore

    def invoke(*args):
        return CliRunner().invoke(app, [str(a) for a in args], obj=runtime)

    def top(idx):
        result = invoke("search", "river treaty water", "--index", idx, "--mode", "dense", "--json", "-k", "3")
        assert result.exit_code == 0, result.output
        return [r["passage_id"] for r in json.loads(result.stdout)["results"]]

    before = top(index)
    for kind in ("hnsw", "ivf", "flat"):
        result = invoke("reindex", "--type", kind, "--index", index, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["index_type"] == kind
        manifest = json.loads((index / "manifest.json").read_text())
        assert manifest["index_type"] == kind and (index / manifest["vectors_file"]).exists()
        assert top(index) == before
    bad = invoke("reindex", "--type", "pq", "--index", index)
    assert bad.exit_code == 1 and "choose auto" in bad.stderr

    monkeypatch.setattr(ann, "ANN_THRESHOLD", 1)  # every index is "large"
    assert json.loads(invoke("reindex", "--index", index, "--json").stdout)["index_type"] == "ivf"
    store = IndexStore.open(index)
    assert store.index_type_policy() == "auto" and store.vectors().index_type == "ivf"
    monkeypatch.setattr(ann, "ANN_THRESHOLD", 10**9)
    store.save()  # auto: back to flat once below the threshold
    assert json.loads((index / "manifest.json").read_text())["index_type"] == "flat"
