"""Encoder backends behind the one `Embedder` interface (see index/embedder.py).

- ``torch``: sentence-transformers on torch, fp32 — the reference.
- ``onnx``: the same weights exported once to ONNX, run by onnxruntime + tokenizers, fp32. Its vectors
  match torch's (cosine 1.0000), so an index built by one is searched by the other.
- ``onnx-int8``: that export, dynamically quantised to int8. Its vectors differ slightly, so an index
  built with it only takes int8 vectors, and vice versa.

Nothing heavy is imported here; each backend imports its runtime when loaded.
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


def resolve_backend(requested: str | None, recorded: str | None = None) -> str:
    """The backend to use: the one asked for, else the fastest one compatible with the index's vectors."""
    from index.errors import ModelError

    if requested is not None:
        if requested not in BACKENDS:
            raise ModelError(f"--backend {requested}: unknown backend; choose one of {', '.join(BACKENDS)}")
        return requested
    if recorded is None:
        return DEFAULT_BACKEND
    family = vector_family(recorded)
    return "onnx-int8" if family == "int8" else ("onnx" if family == "fp32" else recorded)
