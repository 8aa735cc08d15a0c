"""The encoder backends by name, and which of them give interchangeable vectors.

- ``torch``: sentence-transformers on torch, fp32 — the reference (index.embedding.torch_backend).
- ``onnx``: the same weights exported once to ONNX, run by onnxruntime + tokenizers, fp32. Its vectors
  match torch's (cosine 1.0000), so an index built by one is searched by the other (index.embedding.onnx_backend).
- ``onnx-int8``: that export, dynamically quantised to int8. Its vectors differ slightly, so an index
  built with it only takes int8 vectors, and vice versa.

Plain data: nothing is imported here. Which backend a command uses is decided in index.embedding.policy.
"""
from __future__ import annotations

BACKENDS = ("torch", "onnx", "onnx-int8")
DEFAULT_BACKEND = "onnx"  # measured: same vectors as torch, faster, and queries without importing torch
_FAMILY = {"torch": "fp32", "onnx": "fp32", "onnx-int8": "int8"}


def vector_family(backend: str | None) -> str:
    """Backends in one family give interchangeable vectors; an index holds one family only.
    An index recorded without a backend was built by torch."""
    backend = backend or "torch"
    return _FAMILY.get(backend, backend)


def fastest_in_family(family: str) -> str:
    """The quickest backend whose vectors are of `family` (measured: ONNX beats torch on the CPU)."""
    return {"int8": "onnx-int8", "fp32": "onnx"}.get(family, family)
