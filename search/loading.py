"""Loading the model for the Python API (`search.api.load_model`) without importing the CLI.

The same policy as the CLI's `Runtime.embedder`: the index's recorded model folder unless another is given;
the backend follows the index's vectors, and a model ONNX cannot run falls back to torch (same vectors).
Where `index.embedding.load(model, backend, recorded)` exists (the embedding package), that one function
replaces this module: `load_model` then calls it directly.
"""
from __future__ import annotations

from pathlib import Path

BUNDLED_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def model_folder(store, model: Path | None) -> Path | None:
    """The model folder to load: `model`, else the folder the index recorded (the bundled model needs none)."""
    if model is None and store is not None:
        info = store.model_info() or {}
        recorded = info.get("path")
        if recorded and Path(recorded).is_dir() and info.get("name") != BUNDLED_NAME:
            return Path(recorded)
    return model


def load_for_index(store, model: Path | None = None, backend: str | None = None):
    """The embedder for `store` (None: a new index) with `model` and `backend` given or recorded."""
    from index.embedder import load_embedder
    from index.encoders import resolve_backend
    from index.errors import ModelError

    info = (store.model_info() or {}) if store is not None else {}
    model = model_folder(store, model)
    chosen = resolve_backend(backend, info.get("backend"))
    try:
        return load_embedder(model, backend=chosen)
    except ModelError:
        if backend is not None or chosen != "onnx":
            raise
        return load_embedder(model, backend="torch")  # a model ONNX cannot run: torch gives the same vectors
