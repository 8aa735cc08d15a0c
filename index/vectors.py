"""The FAISS index of passage vectors, keyed by passage id. faiss is imported when first used."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np


def _faiss():
    import faiss

    return faiss


class VectorIndex:
    """Exact inner-product search over L2-normalised vectors (cosine similarity)."""

    index_type = "flat"

    def __init__(self, dimension: int, index=None):
        faiss = _faiss()
        self.dimension = dimension
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids) -> None:
        if len(ids):
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, queries: np.ndarray, k: int, allowed_ids=None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the k nearest passages per query; -1 ids pad when fewer exist.
        With `allowed_ids`, only those passages are considered (exactly, not by post-filtering)."""
        faiss = _faiss()
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        k = max(1, min(k, self.size)) if self.size else 1
        if self.size == 0:
            return np.full((len(queries), 1), -np.inf, np.float32), np.full((len(queries), 1), -1, np.int64)
        params = None
        if allowed_ids is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.asarray(allowed_ids, dtype=np.int64)))
        return self.index.search(queries, k, params=params)

    def save(self, path: Path) -> None:
        """Write atomically: a reader sees the old file or the new one, never half of one."""
        faiss = _faiss()
        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self.index, str(tmp))
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path, dimension: int) -> "VectorIndex":
        return cls(dimension, _faiss().read_index(str(path)))
