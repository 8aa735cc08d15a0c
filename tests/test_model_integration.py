"""Integration with the real bundled model (all-MiniLM-L6-v2). Slower: run with `pytest -m model`."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from search.cli import app
from search.cli.app import Runtime
from tests.conftest import shared_corpus
from tests.builders import committed_docs
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model():
    from index.embedding import load

    return load(backend="torch")


@pytest.fixture(scope="module")
def seeds_index(model, tmp_path_factory):
    index = tmp_path_factory.mktemp("seeds") / "idx"
    result = CliRunner().invoke(app, ["ingest", str(shared_corpus("seeds")), "--index", str(index), "--json"],
                                obj=Runtime(load_embedder=lambda m=None: model))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"] == 5
    return index


def test_bundled_model_loads_with_verified_checksum(model):
    from index.embedding import BUNDLED_MODEL_NAME, BUNDLED_MODEL_SHA256
    from index.embedding.checksum import weights_checksum

    assert model.name == BUNDLED_MODEL_NAME
    assert model.checksum == BUNDLED_MODEL_SHA256 == weights_checksum(model.folder)
    assert (model.dimension, model.max_tokens) == (384, 256)
    assert model.count_tokens(["The treaty", "", "We signed the treaty."]) == [2, 0, 5]


def test_vectors_are_normalised_and_meaningful(model):
    texts = ["The ministers signed a water-sharing treaty for the river.",
             "An agreement on sharing river water was signed by the ministers.",
             "The football team won the championship last night."]
    vectors = model.embed(texts)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > 0.7 > 0.3 > similarity[0, 2]


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
@pytest.mark.parametrize("query, doc_id", [
    ("Ukraine crisis", "004_acc348ebf58bf56f"),
    ("defence spending", "003_5b5f81df33b5cc07"),
    ("Lanting Forum", "001_3aab13d212854ff5"),
])
def test_seed_searches_find_the_relevant_document(model, seeds_index, mode, query, doc_id):
    result = CliRunner().invoke(app, ["search", query, "--index", str(seeds_index), "--mode", mode, "--json", "-k", "3"],
                                obj=Runtime(load_embedder=lambda m=None: model))
    assert result.exit_code == 0, result.output
    top = json.loads(result.stdout)["results"][0]
    assert top["doc_id"] == doc_id
    assert any(word.lower() in top["text"].lower() for word in query.split())


def test_model_mismatch_is_refused_both_ways(model, seeds_index, tmp_path):
    fake = Runtime(load_embedder=lambda m=None: FakeEmbedder())
    result = CliRunner().invoke(app, ["search", "Ukraine crisis", "--index", str(seeds_index)], obj=fake)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: this index was built with model sentence-transformers/all-MiniLM-L6-v2 (sha256 53aa51172d14")
    assert "but the model given is fake-hash-embedder" in result.stderr and "Traceback" not in result.output

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("The river treaty binds Arden and Vell to share the water of the northern river.")
    assert CliRunner().invoke(app, ["ingest", str(folder), "--index", str(tmp_path / "fake-idx")], obj=fake).exit_code == 0
    real = Runtime(load_embedder=lambda m=None: model)
    result = CliRunner().invoke(app, ["search", "river", "--index", str(tmp_path / "fake-idx")], obj=real)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: this index was built with model fake-hash-embedder")
    assert "the model given is sentence-transformers/all-MiniLM-L6-v2" in result.stderr


def _dipsearch(*args) -> list[str]:
    return [str(Path(sys.executable).parent / "dipsearch"), *map(str, args)]



def test_real_cli_ingest_killed_after_first_commit(model, tmp_path):
    """The real CLI and model: kill -9 once the first batch (256 passages) is committed, search, re-run."""
    from corpus.chunking import ChunkOptions, chunk
    from corpus.prepare import prepare
    from corpus.readers import read_inputs

    lines, paragraphs = [], 0
    with open(shared_corpus("mfa_pressconf_sample.jsonl"), encoding="utf-8") as f:
        for line in f:  # enough documents for two batches: one commits, the kill lands in the second
            lines.append(line)
            paragraphs += json.loads(line)["text"].count("\n\n") + 1
            if paragraphs > 380:
                break
    source = tmp_path / "press.jsonl"
    source.write_text("".join(lines), encoding="utf-8")
    docs = [prepare(raw) for raw in read_inputs([source])]
    expected_passages = sum(len(chunk(d.text, model.count_tokens, ChunkOptions(max_tokens=model.max_tokens - 2))) for d in docs)
    assert expected_passages > 256

    index = tmp_path / "idx"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(_dipsearch("ingest", source, "--index", index, "--batch", "256"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while committed_docs(index) == 0:
        assert proc.poll() is None, "ingest ended before its first commit was seen: " + proc.communicate()[1]
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    committed = committed_docs(index)
    assert 0 < committed < len(docs)

    query = "Foreign Ministry spokesperson"
    found = subprocess.run(_dipsearch("search", query, "--index", index, "--json", "-k", "5"), env=env, capture_output=True, text=True, timeout=300)
    assert found.returncode == 0, found.stderr
    results = json.loads(found.stdout)["results"]
    conn = sqlite3.connect(index / "dipsearch.sqlite")
    stored = {r[0] for r in conn.execute("SELECT doc_id FROM documents")}
    conn.close()
    assert results and {r["doc_id"] for r in results} <= stored

    rerun = subprocess.run(_dipsearch("ingest", source, "--index", index, "--json"), env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert (report["unchanged"], report["added"]) == (committed, len(docs) - committed)
    assert (report["documents"], report["passages"]) == (len(docs), expected_passages)


def test_passages_fit_the_model_by_its_own_token_counts(model, seeds_index):
    from corpus.chunking import ChunkOptions, chunk
    from corpus.sentences import split_sentences

    conn = sqlite3.connect(seeds_index / "dipsearch.sqlite")
    rows = conn.execute("SELECT text, n_tokens FROM passages").fetchall()
    conn.close()
    assert len(rows) > 20
    assert [n for _, n in rows] == model.count_tokens([t for t, _ in rows])
    assert max(n for _, n in rows) <= model.max_tokens - 2
    sentences = [f"The delegation of Arden number {i} reaffirmed its commitment to the river treaty and to dialogue." for i in range(60)]
    long_paragraph = " ".join(sentences)
    assert model.count_tokens([long_paragraph])[0] > 3 * 254
    passages = chunk(long_paragraph, model.count_tokens, ChunkOptions(max_tokens=model.max_tokens - 2))
    assert len(passages) >= 4 and all(p.n_tokens <= 254 for p in passages)
    assert [s for p in passages for s in split_sentences(p.text)] == sentences
