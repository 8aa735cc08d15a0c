"""What the index needs from an embedding model: the `Embedder` protocol every backend follows."""
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
