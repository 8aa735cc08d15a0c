"""Edges between wordings from both signals, then star clusters around the most reused wordings.

An edge joins two wordings that share most of their n-grams (lexical: verbatim or lightly edited
reuse) or whose embeddings are close and that still share some content words (semantic:
paraphrase). Clusters are stars, not connected components: each member is joined directly to
the cluster's centre, so A~B~C~D chains of slowly drifting sentences never merge unrelated ends.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from search.talking_points.lexical import shared_pairs, shingle_sets
from search.talking_points.options import TalkingPointOptions
from search.talking_points.semantic import cosines, neighbour_pairs
from search.talking_points.sentences import content_stems


@dataclass
class Edges:
    a: np.ndarray
    b: np.ndarray
    containment: np.ndarray
    cosine: np.ndarray


def find_edges(texts: list[str], vectors: np.ndarray, single_doc: np.ndarray, options: TalkingPointOptions) -> Edges:
    """Edges among wordings (indexes into `texts`). `single_doc[i]` is the one document wording i
    occurs in, or -1 when it occurs in several: two wordings of one same document are not joined."""
    n = len(texts)
    hashes, owners, n_shingles = shingle_sets(texts, options.shingle)
    la, lb, shared = shared_pairs(hashes, owners, n, options.min_shared)
    if vectors.shape[1]:
        sa, sb, _ = neighbour_pairs(vectors, options.neighbours, options.semantic_threshold)
    else:  # lexical only (no vectors): no paraphrase edges
        sa = sb = np.zeros(0, np.int64)
    keys_l = la * n + lb
    keys = np.union1d(keys_l, sa * n + sb)
    a, b = keys // n, keys % n
    shared_all = np.zeros(len(keys), dtype=np.int64)
    shared_all[np.searchsorted(keys, keys_l)] = shared
    containment = shared_all / np.maximum(1, np.minimum(n_shingles[a], n_shingles[b]))
    cos = cosines(vectors, a, b) if vectors.shape[1] else np.zeros(len(a), np.float32)
    lexical = (containment >= options.lexical_threshold) & (shared_all >= options.min_shared)
    semantic = cos >= options.semantic_threshold
    maybe = semantic & ~lexical
    if maybe.any():  # the content-word guard, only on pairs that need it
        stems: dict[int, set[str]] = {}
        idx = np.nonzero(maybe)[0]
        ok = np.zeros(len(idx), dtype=bool)
        for j, (x, y) in enumerate(zip(a[idx].tolist(), b[idx].tolist())):
            sx = stems.get(x) or stems.setdefault(x, content_stems(texts[x]))
            sy = stems.get(y) or stems.setdefault(y, content_stems(texts[y]))
            ok[j] = len(sx & sy) >= options.overlap_guard * max(1, min(len(sx), len(sy)))
        semantic[idx] = ok
    keep = (lexical | semantic) & ~((single_doc[a] == single_doc[b]) & (single_doc[a] >= 0))
    return Edges(a[keep], b[keep], containment[keep], cos[keep])


def star_clusters(n: int, edges: Edges, weight: np.ndarray) -> list[list[int]]:
    """Groups of wordings: repeatedly the wording with the heaviest neighbourhood and its unassigned neighbours."""
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for x, y in zip(edges.a.tolist(), edges.b.tolist()):
        neighbours[x].append(y)
        neighbours[y].append(x)
    strength = weight.astype(np.float64).copy()
    np.add.at(strength, edges.a, weight[edges.b])
    np.add.at(strength, edges.b, weight[edges.a])
    order = np.lexsort((np.arange(n), -strength))
    assigned = np.zeros(n, dtype=bool)
    clusters = []
    for centre in order.tolist():
        if assigned[centre]:
            continue
        members = [centre] + [m for m in neighbours[centre] if not assigned[m]]
        assigned[members] = True
        clusters.append(members)
    return clusters


def medoid(vectors: np.ndarray, weight: np.ndarray) -> tuple[int, np.ndarray]:
    """(index of the member closest to all others, weighted by use; cosine of each member to it)."""
    if len(vectors) == 1:
        return 0, np.ones(1, dtype=np.float32)
    sims = vectors @ vectors.T
    best = int(np.argmax(sims @ weight))
    return best, sims[best]
