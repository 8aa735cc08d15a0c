"""Reciprocal rank fusion of several ranked lists."""
from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60


def reciprocal_rank_fusion(rankings: Sequence[Sequence[tuple[int, float]]], k: int = RRF_K, weights: Sequence[float] | None = None) -> list[tuple[int, float]]:
    """Fuse rankings of (id, score): each id scores sum(weight / (k + rank)); best first, ties by first appearance."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, (item, _) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda kv: -kv[1])
