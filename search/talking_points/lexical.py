"""The lexical signal: word n-gram shingles, candidate pairs from an inverted index, shared counts.

No pair loop: shingle hashes are sorted so each shingle's sentences lie side by side, and pairs are
read off by comparing the sorted array with itself shifted by 1..band positions (numpy). A shingle
shared by more than `band` + 1 sentences pairs each with its `band` neighbours in the run, which
bounds the work for stock phrases while still linking every sentence that uses one.
"""
from __future__ import annotations

import numpy as np

from search.talking_points.sentences import shingles
from search.tokenizer import TOKENIZER

BAND = 24


def shingle_sets(texts: list[str], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(hashes, owner index, shingles per text) of every text's distinct n-grams."""
    hashes: list[int] = []
    owners: list[int] = []
    counts = np.zeros(len(texts), dtype=np.int32)
    for i, text in enumerate(texts):
        s = shingles(TOKENIZER.tokens(text), n)
        counts[i] = len(s)
        hashes.extend(s)
        owners.extend([i] * len(s))
    return np.array(hashes, dtype=np.int64), np.array(owners, dtype=np.int64), counts


def shared_pairs(hashes: np.ndarray, owners: np.ndarray, n_texts: int, min_shared: int, band: int = BAND) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, shared n-grams) for pairs a < b of texts sharing at least `min_shared` n-grams."""
    if len(hashes) == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    order = np.lexsort((owners, hashes))
    h, o = hashes[order], owners[order]
    keys = []
    total = 0
    for d in range(1, band + 1):
        same = h[:-d] == h[d:]
        if not same.any():
            break
        a, b = o[:-d][same], o[d:][same]
        keys.append(a * n_texts + b)  # a < b: owners sort within each shingle and are distinct there
        total += len(a)
        if total > 20_000_000:  # keep memory bounded: fold what we have
            keys = [np.concatenate(keys)]
            total = len(keys[0])
    if not keys:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    uniq, counts = np.unique(np.concatenate(keys), return_counts=True)
    keep = counts >= min_shared
    uniq, counts = uniq[keep], counts[keep]
    return uniq // n_texts, uniq % n_texts, counts.astype(np.int64)
