"""What the index needs from an embedding model: the `Embedder` protocol every backend follows.

A model that embeds a query differently from a passage (e5 prefixes ``query: `` / ``passage: ``) also has
`embed_queries(texts)`; every caller embeds a search query through `embed_queries` below, which falls back to
`embed` for the symmetric models (all-MiniLM-L6-v2, USE)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """What the index needs from an embedding model."""

    name: str  # human-readable model id
    checksum: str  # sha256 of the weights: two indexes agree on vectors iff this agrees
    dimension: int
    max_tokens: int  # longest input the model reads, special tokens included
    backend: str  # torch, onnx or onnx-int8 (index.embedding.backends)
    languages: frozenset[str] | None  # what the model card declares (index.embedding.languages); None: not declared

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """float32 array (len(texts), dimension), rows L2-normalised."""

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Tokens per text as the model counts them, without special tokens."""


def embed_queries(embedder, texts: Sequence[str]) -> np.ndarray:
    """Vectors for search queries: the model's query embedding when it has one (e5), else its passage embedding."""
    method = getattr(embedder, "embed_queries", None)
    return method(texts) if method is not None else embedder.embed(texts)
