"""The FAISS index of passage vectors, keyed by passage id. faiss is imported when first used."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

EXACT_FILTER_LIMIT = 50_000  # an ANN index searches a filter keeping fewer passages exactly
SMALL_BATCH = 16  # below this many queries, search on one thread


def _faiss():
    import faiss

    return faiss


class VectorIndex:
    """Inner-product search over L2-normalised vectors (cosine similarity): exact ("flat"), or
    approximate ("ivf", "hnsw"; see index/ann.py) for large indexes."""

    index_type = "flat"

    def __init__(self, dimension: int, index=None):
        from index.ann import detect_type, new_index

        self.dimension = dimension
        self.index = index if index is not None else new_index("flat", dimension)
        self.index_type = detect_type(self.index) if index is not None else "flat"

    @classmethod
    def build(cls, dimension: int, kind: str, batches) -> "VectorIndex":
        """An index of `kind` over (ids, vectors) batches, e.g. Database.all_vectors()."""
        from index.ann import build

        return cls(dimension, build(kind, dimension, batches))

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def ids(self) -> np.ndarray:
        """The passage ids this index holds (unsorted)."""
        faiss = _faiss()
        if hasattr(self.index, "id_map"):  # IndexIDMap2 around flat or HNSW
            return faiss.vector_to_array(self.index.id_map).astype(np.int64)
        invlists = faiss.extract_index_ivf(self.index).invlists
        parts = [faiss.rev_swig_ptr(invlists.get_ids(i), invlists.list_size(i)).copy()
                 for i in range(invlists.nlist) if invlists.list_size(i)]
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)

    def add(self, ids, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids) -> None:
        if not len(ids):
            return
        if self.index_type != "hnsw":
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))
            return
        # An HNSW graph cannot drop nodes: rebuild it from the vectors that stay (seconds per 100k).
        from index.ann import new_index

        faiss = _faiss()
        keys = faiss.vector_to_array(self.index.id_map)
        vectors = self.index.index.reconstruct_n(0, self.size) if self.size else np.zeros((0, self.dimension), np.float32)
        keep = ~np.isin(keys, np.asarray(ids, dtype=np.int64))
        self.index = new_index("hnsw", self.dimension)
        self.add(keys[keep], vectors[keep])

    def search(self, queries: np.ndarray, k: int, allowed_ids=None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the k nearest passages per query; -1 ids pad when fewer exist.
        With `allowed_ids`, only those passages are considered (exactly, not by post-filtering)."""
        faiss = _faiss()
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        k = max(1, min(k, self.size)) if self.size else 1
        if self.size == 0:
            return np.full((len(queries), 1), -np.inf, np.float32), np.full((len(queries), 1), -1, np.int64)
        from index.ann import search_params

        selector, widen = None, 1
        if allowed_ids is not None:
            allowed = np.asarray(allowed_ids, dtype=np.int64)
            if self.index_type != "flat" and len(allowed) <= EXACT_FILTER_LIMIT:
                return self._search_exact(queries, k, allowed)
            selector = faiss.IDSelectorBatch(allowed)
            widen = max(1, min(16, self.size // max(1, len(allowed))))
        params = search_params(self.index_type, self.index, selector, widen)
        if len(queries) >= SMALL_BATCH:
            return self.index.search(queries, k, params=params)
        # A query or a few: OpenMP threads cost more than they save, and far more on a busy
        # machine (measured on 15k passages, 2 cores under load: 17-25 ms with 2 threads,
        # 2.5-3.6 ms with 1). FAISS's thread count is process-wide, so restore it after.
        previous = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            return self.index.search(queries, k, params=params)
        finally:
            faiss.omp_set_num_threads(previous)

    def _search_exact(self, queries: np.ndarray, k: int, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Exact scores over the `allowed` passages only (their vectors read back from the index)."""
        allowed = np.unique(allowed)
        vectors = self.index.reconstruct_batch(allowed) if len(allowed) else np.zeros((0, self.dimension), np.float32)
        scores = queries @ vectors.T
        k = min(k, len(allowed))
        if k == 0:
            return np.full((len(queries), 1), -np.inf, np.float32), np.full((len(queries), 1), -1, np.int64)
        top = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        return np.take_along_axis(scores, top, axis=1).astype(np.float32), allowed[top]

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
