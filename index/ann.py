"""Approximate nearest-neighbour index types for large indexes, and how to pick one by size.

Measured on 384-d clustered vectors, 2 CPU cores (benchmarks/ann_bench.py, README):
exact (flat) search costs ~16 ms a query at 100k passages and ~170 ms at 1M, growing linearly;
IVFFlat (nlist ≈ 4·√N, nprobe 16) answers in well under 1 ms with recall@10 ≥ 0.99, builds in
seconds to a minute, keeps bytes/passage ≈ flat's, and removes ids natively. HNSW is as fast but
builds 4× slower, cannot remove ids (we rebuild its graph on removal) and had lower recall at 1M.
So: flat while small, IVF above ANN_THRESHOLD; HNSW only when asked for.
"""
from __future__ import annotations

import math

import numpy as np

TYPES = ("flat", "ivf", "hnsw")
ANN_THRESHOLD = 100_000  # above this many passages, "auto" switches from flat to ivf
IVF_NPROBE = 16
HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 128, 256
TRAIN_SAMPLE = 100_000  # IVF centroids are trained on at most this many vectors


def _faiss():
    import faiss

    return faiss


def auto_type(count: int) -> str:
    return "ivf" if count > ANN_THRESHOLD else "flat"


def nlist_for(count: int) -> int:
    """≈ 4·√N lists, with at least 39 training vectors per list (faiss's minimum)."""
    return max(1, min(int(4 * math.sqrt(max(count, 1))), max(count, 1) // 39))


def new_index(kind: str, dimension: int, train: np.ndarray | None = None, nlist: int | None = None):
    """An empty faiss index of `kind` keyed by passage id; ivf needs `train` vectors."""
    faiss = _faiss()
    if kind == "flat":
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
    if kind == "hnsw":
        inner = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        inner.hnsw.efSearch = HNSW_EF_SEARCH
        return faiss.IndexIDMap2(inner)
    if kind == "ivf":
        train = np.zeros((0, dimension), np.float32) if train is None else train
        nlist = nlist or nlist_for(len(train))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dimension), dimension, nlist, faiss.METRIC_INNER_PRODUCT)
        if len(train):
            index.train(np.ascontiguousarray(train, dtype=np.float32))
        else:  # nothing to learn from yet: one list is an exact search
            index.train(np.zeros((1, dimension), np.float32))
        index.nprobe = min(IVF_NPROBE, nlist)
        index.set_direct_map_type(faiss.DirectMap.Hashtable)  # reconstruct by id, remove by id
        return index
    raise ValueError(f"unknown index type {kind!r}; choose one of {', '.join(TYPES)}")


def detect_type(index) -> str:
    faiss = _faiss()
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else faiss.downcast_index(index)
    if isinstance(inner, faiss.IndexHNSW):
        return "hnsw"
    if isinstance(inner, faiss.IndexIVF):
        return "ivf"
    return "flat"


def search_params(kind: str, index, selector=None, widen: int = 1):
    """Search parameters for `kind`; `widen` multiplies the search effort (for selective filters)."""
    faiss = _faiss()
    if kind == "ivf":
        return faiss.SearchParametersIVF(sel=selector, nprobe=min(index.nlist, index.nprobe * widen))
    if kind == "hnsw":
        inner = faiss.downcast_index(index.index)
        return faiss.SearchParametersHNSW(sel=selector, efSearch=min(1024, inner.hnsw.efSearch * widen))
    return faiss.SearchParameters(sel=selector) if selector is not None else None


def build(kind: str, dimension: int, batches) -> object:
    """A faiss index of `kind` over (ids, vectors) batches; ivf trains on the first TRAIN_SAMPLE vectors."""
    if kind != "ivf":
        index = new_index(kind, dimension)
        for ids, vecs in batches:
            if len(ids):
                index.add_with_ids(np.ascontiguousarray(vecs, dtype=np.float32), np.asarray(ids, dtype=np.int64))
        return index
    all_ids, all_vecs = [], []
    for ids, vecs in batches:
        all_ids.append(np.asarray(ids, dtype=np.int64))
        all_vecs.append(np.asarray(vecs, dtype=np.float32))
    ids = np.concatenate(all_ids) if all_ids else np.zeros(0, np.int64)
    vecs = np.concatenate(all_vecs) if all_vecs else np.zeros((0, dimension), np.float32)
    nlist = nlist_for(len(vecs))
    want = max(TRAIN_SAMPLE, 40 * nlist)
    sample = vecs if len(vecs) <= want else vecs[np.random.default_rng(0).choice(len(vecs), want, replace=False)]
    index = new_index("ivf", dimension, sample, nlist)
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vecs), ids)
    return index
