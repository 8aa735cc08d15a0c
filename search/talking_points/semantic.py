"""The semantic signal: nearest sentences by embedding cosine, with FAISS (exact when small, IVF when large)."""
from __future__ import annotations

import numpy as np

EXACT_UP_TO = 5_000  # above this many sentences, an IVF index (approximate: ~99% of close pairs, 5-20x faster)


def _faiss():
    import faiss

    faiss.cvar.distance_compute_blas_threshold = 16  # batched flat search through BLAS (see notes/performance.md)
    return faiss


def neighbour_pairs(vectors: np.ndarray, k: int, threshold: float, batch: int = 4096) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, cosine) for a < b where b is among a's k nearest (or a among b's) with cosine >= threshold."""
    n = len(vectors)
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    if n < 2:
        return empty
    faiss = _faiss()
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    if n <= EXACT_UP_TO:
        index = faiss.IndexFlatIP(dim)
    else:
        nlist = max(1, min(int(4 * np.sqrt(n)), n // 40))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        rng = np.random.default_rng(0)
        sample = vectors[rng.choice(n, size=min(n, nlist * 40), replace=False)]
        index.train(sample)
        index.nprobe = 8
    index.add(vectors)
    k = min(k + 1, n)
    a_parts, b_parts, s_parts = [], [], []
    for start in range(0, n, batch):
        scores, ids = index.search(vectors[start : start + batch], k)
        rows = np.repeat(np.arange(start, start + len(ids)), k)
        cols, sims = ids.ravel(), scores.ravel()
        keep = (cols >= 0) & (cols != rows) & (sims >= threshold)
        a, b = rows[keep], cols[keep]
        a_parts.append(np.minimum(a, b))
        b_parts.append(np.maximum(a, b))
        s_parts.append(sims[keep])
    a, b, s = np.concatenate(a_parts), np.concatenate(b_parts), np.concatenate(s_parts)
    if len(a) == 0:
        return empty
    uniq, first = np.unique(a * n + b, return_index=True)
    return uniq // n, uniq % n, s[first].astype(np.float32)


def cosines(vectors: np.ndarray, a: np.ndarray, b: np.ndarray, batch: int = 100_000) -> np.ndarray:
    out = np.empty(len(a), dtype=np.float32)
    for start in range(0, len(a), batch):
        sl = slice(start, start + batch)
        out[sl] = np.einsum("ij,ij->i", vectors[a[sl]], vectors[b[sl]])
    return out
