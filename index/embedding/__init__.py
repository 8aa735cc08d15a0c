"""Sentence embeddings: one protocol, the model's identity, the backends, and the one loading policy.

- `load(model, backend, recorded)` (policy.py) chooses the model folder, the backend and any fallback;
  every front end and the Ray workers call it.
- `Embedder` (protocol.py): what the index needs from a model.
- `ModelIdentity` (identity.py): name, weights sha256, dimension, languages, backend family.
- Backends: torch (torch_backend.py), onnx and onnx-int8 (onnx_backend.py, exported once by onnx_export.py
  into the cache of cache.py), the Ray actor pool (ray_actor.py); their names and vector families in backends.py.
- registry.py: model names -> packaged models (the bundled all-MiniLM-L6-v2; e5-multilingual and use-multilingual,
  run by their own engines in packaged.py, the [multilingual] extra); `CATALOGUE` for `dipsearch models`.
- autopick.py: the multilingual model for a new index that meets Chinese, Japanese or Korean text.

Importing this package imports no model runtime (torch, onnxruntime, ray); backends import theirs when loaded.
"""
from index.embedding.backends import BACKENDS, DEFAULT_BACKEND, vector_family
from index.embedding.identity import ModelIdentity
from index.embedding.policy import load, resolve_backend, resolve_model
from index.embedding.protocol import Embedder
from index.embedding.registry import BUNDLED_MODEL_NAME, BUNDLED_MODEL_SHA256, REGISTRY, ModelSource, bundled_model_path

__all__ = ["BACKENDS", "BUNDLED_MODEL_NAME", "BUNDLED_MODEL_SHA256", "DEFAULT_BACKEND", "REGISTRY", "Embedder",
           "ModelIdentity", "ModelSource", "bundled_model_path", "load", "resolve_backend", "resolve_model", "vector_family"]
