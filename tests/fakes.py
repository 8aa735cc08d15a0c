"""A deterministic embedder behind the real interface: hashed bag of stemmed words.

Texts sharing words get similar vectors, so ranks in tests are exact and meaningful,
and no model, torch or network is needed.
"""
from __future__ import annotations

import hashlib
import re
import time
from functools import lru_cache

import numpy as np

from search.terms import STOPWORDS, stem


@lru_cache(maxsize=200_000)
def _word_hash(word: str) -> int:
    """A word's stem hashed: what places it in the vector (memoised: the tests embed the same words many times)."""
    return int.from_bytes(hashlib.md5(stem(word).encode()).digest()[:4], "little")


class FakeEmbedder:
    name = "fake-hash-embedder"
    backend = "fake"
    languages = None  # no model card: every query is embedded

    def __init__(self, dimension: int = 64, max_tokens: int = 256, checksum: str = "f" * 64, delay: float = 0.0):
        self.dimension = dimension
        self.max_tokens = max_tokens
        self.checksum = checksum
        self.delay = delay  # seconds per embed call: lets tests kill an ingest mid-way
        self.calls = 0

    def count_tokens(self, texts):
        return [len(re.findall(r"\w+|[^\w\s]", t)) for t in texts]

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dimension, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            if word in STOPWORDS:
                continue
            h = _word_hash(word)
            v[h % self.dimension] += 1.0 if (h >> 31) & 1 else -1.0
        norm = np.linalg.norm(v)
        if norm == 0:
            v[0] = 1.0
            norm = 1.0
        return v / norm

    def embed(self, texts, progress=None):
        self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        out = np.stack([self._vector(t) for t in texts]) if len(texts) else np.zeros((0, self.dimension), np.float32)
        if progress:
            progress(len(texts))
        return out
