"""`dipsearch ingest --engine ray`: Ray Data over an actor pool, on a local Ray with 2 CPUs."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.model_cache import onnx_cache  # noqa: F401  (fixture)


ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.ray, pytest.mark.model]


@pytest.fixture
def ray():
    """Ray, imported when a test needs it, not as the module is collected: the import costs about 2 s of CPU in
    every pytest worker, and `make test-fast` leaves this module's tests out."""
    pytest.importorskip("ray.data", reason="Ray Data is an optional extra: pip install '.[ray]'")
    return pytest.importorskip("ray", reason="Ray is an optional extra: pip install '.[ray]'")


@pytest.fixture
def local_ray(ray, onnx_cache, monkeypatch):  # ray first: a missing extra skips before the ONNX export
    cache, _ = onnx_cache
    monkeypatch.setenv("DIPSEARCH_CACHE", str(cache))  # before init: the workers inherit it
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_ingest_writes_the_same_index_as_a_local_one(local_ray, ray, onnx_cache, tmp_path):
    from search.cli import app
    from index.store import IndexStore
    from index.embedding.ray_actor import RayEmbedder

    results = {}
    for engine in ("local", "ray"):
        index = tmp_path / engine
        run = CliRunner().invoke(app, ["ingest", str(ROOT / "sample"), "--index", str(index), "--backend", "onnx", "--engine", engine, "--json"])
        assert run.exit_code in (0, 3), run.output
        results[engine] = json.loads(run.stdout.strip().splitlines()[-1])
    assert results["ray"]["passages"] == results["local"]["passages"] > 5

    stores = {e: IndexStore.open(tmp_path / e) for e in results}
    rows = {e: [tuple(r) for r in s.db.conn.execute("SELECT passage_id, doc_id, text FROM passages ORDER BY passage_id")] for e, s in stores.items()}
    assert rows["ray"] == rows["local"]
    ids = {e: np.concatenate([i for i, _ in s.db.all_vectors(384)]) for e, s in stores.items()}
    vecs = {e: np.concatenate([v for _, v in s.db.all_vectors(384)]) for e, s in stores.items()}
    assert np.array_equal(ids["ray"], ids["local"])
    assert (vecs["ray"] * vecs["local"]).sum(1).min() > 0.9999
    assert stores["ray"].model_info()["backend"] == "onnx"
    assert json.loads((tmp_path / "ray" / "manifest.json").read_text())["index_type"] == "flat"

    # the pool really is a pool of actors on the 2 local CPUs
    _, embedders = onnx_cache
    remote = RayEmbedder(embedders["onnx"])
    assert remote.actors == 2 and remote.device == "cpu"
    texts = ["The river treaty.", "Fisheries accord in the bay.", "Sanctions were lifted."] * 5
    assert np.allclose(remote.embed(texts), embedders["onnx"].embed(texts), atol=1e-5)

    # an error raised in a Ray worker comes back as the library's error, which the CLI words with its flags
    # (a FieldError could not be unpickled there: Ray raised its UnserializableException instead)
    from corpus.errors import DipsearchError, FieldError
    from search.cli.app import cli_message

    @ray.remote
    def refuse():
        raise FieldError("max_doc_mb", "nan", "the limit must be a number")

    with pytest.raises(DipsearchError) as caught:
        ray.get(refuse.remote())
    assert isinstance(caught.value, FieldError) and cli_message(caught.value) == "--max-doc-mb nan: the limit must be a number"
