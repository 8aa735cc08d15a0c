"""Encoder backends: which vectors mix, parity of ONNX with torch, and the torch-free query path."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.embedding import BACKENDS, DEFAULT_BACKEND, resolve_backend, vector_family
from index.errors import ModelError, ModelMismatch
from index.store import IndexStore
from tests.fakes import FakeEmbedder
from tests.model_cache import onnx_cache  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]


def _fake(backend: str) -> FakeEmbedder:
    embedder = FakeEmbedder()
    embedder.backend = backend
    return embedder


def test_backend_resolution_follows_the_index():
    assert resolve_backend(None) == DEFAULT_BACKEND
    assert resolve_backend(None, "torch") == "onnx"  # same vectors, no torch at query time
    assert resolve_backend(None, "onnx-int8") == "onnx-int8"
    assert resolve_backend("torch", "onnx") == "torch"
    assert vector_family("torch") == vector_family("onnx") == vector_family(None) != vector_family("onnx-int8")
    with pytest.raises(ModelError, match="choose one of"):
        resolve_backend("tensorrt")
    assert set(BACKENDS) == {"torch", "onnx", "onnx-int8"}


def test_store_refuses_int8_vectors_in_an_fp32_index_and_back(tmp_path):
    store = IndexStore.open(tmp_path / "fp32", create=True)
    with store.db.transaction():
        store.bind_model(_fake("torch"))
    store.check_model(_fake("onnx"))  # fp32 onnx reproduces torch's vectors
    with pytest.raises(ModelMismatch, match="use backend torch"):
        store.check_model(_fake("onnx-int8"))
    assert store.model_info()["backend"] == "torch"

    store = IndexStore.open(tmp_path / "int8", create=True)
    with store.db.transaction():
        store.bind_model(_fake("onnx-int8"))
    for other in ("torch", "onnx"):
        with pytest.raises(ModelMismatch, match="int8 vectors"):
            store.check_model(_fake(other))


def test_an_export_is_made_once_per_weights_and_exporter_and_a_changed_exporter_exports_again(tmp_path, monkeypatch):
    from index.embedding import onnx_export

    monkeypatch.setenv("DIPSEARCH_CACHE", str(tmp_path))
    made = []

    def fake_export(folder, dest, *a, **k):
        made.append(dest.relative_to(tmp_path).as_posix())
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(b"onnx")
        return dest

    monkeypatch.setattr(onnx_export, "export_onnx", fake_export)
    monkeypatch.setattr(onnx_export, "quantize_int8", fake_export)
    key = onnx_export.exporter_key()
    assert key.startswith("x") and len(key) == 13 and key == onnx_export.exporter_key()
    onnx_export.ensure_export(tmp_path, "a" * 64, int8=True)
    onnx_export.ensure_export(tmp_path, "a" * 64, int8=True)  # cached
    assert made == [f"onnx/{'a' * 64}/{key}/model.onnx", f"onnx/{'a' * 64}/{key}/model-int8.onnx"]
    monkeypatch.setattr(onnx_export, "exporter_key", lambda: "xchanged")  # another version of the exporter's code
    onnx_export.ensure_export(tmp_path, "a" * 64, int8=False)
    assert made[-1] == f"onnx/{'a' * 64}/xchanged/model.onnx" and len(made) == 3


# ---------------------------------------------------------------- the real model
PASSAGES = [p.strip() for f in sorted((ROOT / "sample").glob("*.txt")) for p in f.read_text().split("\n\n") if len(p.strip()) > 40]


@pytest.mark.model
def test_onnx_reproduces_torch_and_int8_stays_close(onnx_cache):
    _, embedders = onnx_cache
    texts = PASSAGES[:24] + ["Sanctions?", "x " * 600]  # short, typical, and longer than the model reads
    ref = embedders["torch"].embed(texts)
    fp32, int8 = embedders["onnx"].embed(texts), embedders["onnx-int8"].embed(texts)
    assert np.allclose(np.linalg.norm(fp32, axis=1), 1, atol=1e-5)
    assert (ref * fp32).sum(1).min() > 0.9999
    cos8 = (ref * int8).sum(1)
    assert cos8.mean() > 0.98 and cos8.min() > 0.95
    assert embedders["onnx"].count_tokens(texts) == embedders["torch"].count_tokens(texts)
    assert embedders["onnx"].checksum == embedders["torch"].checksum and embedders["onnx"].dimension == 384
    assert [e.backend for e in embedders.values()] == list(BACKENDS)


NO_TORCH = """
import json, sys
from search.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in ("torch", "transformers", "sentence_transformers", "scipy") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


@pytest.mark.model
def test_search_with_onnx_never_imports_torch(onnx_cache, tmp_path):
    cache, embedders = onnx_cache
    from index.ingest import ingest
    from corpus.readers import ReadOptions, read_inputs

    index = tmp_path / "idx"
    store = IndexStore.open(index, create=True)
    ingest(store, read_inputs([ROOT / "sample"], ReadOptions()), embedders["onnx"])
    store.close()
    env = {**os.environ, "DIPSEARCH_CACHE": str(cache), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", NO_TORCH, "search", "river water treaty", "--index", str(index), "--mode", "dense", "--json", "-k", "3"],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    status = json.loads(run.stderr.strip().splitlines()[-1])
    assert status == {"code": None, "heavy": []} or status == {"code": 0, "heavy": []}, run.stderr
    results = json.loads(run.stdout)["results"]
    assert len(results) == 3 and "river" in json.dumps(results).lower()
