"""Dense retrieval: the query's embedding against the FAISS index, filters applied exactly."""
from __future__ import annotations

import numpy as np

from index.passage_queries import passage_ids_matching
from search.filters import Filters


def allowed_passages(conn, filters: Filters) -> np.ndarray | None:
    """Ids of passages passing the filters, or None when nothing filters."""
    if not filters.active:
        return None
    return passage_ids_matching(conn, filters)


def dense_search(store, query_vector: np.ndarray, filters: Filters, limit: int) -> list[tuple[int, float]]:
    """(passage id, cosine similarity) best first."""
    allowed = allowed_passages(store.db.conn, filters)
    if allowed is not None and len(allowed) == 0:
        return []
    scores, ids = store.vectors().search(query_vector, limit, allowed)
    return [(int(i), float(s)) for s, i in zip(scores[0], ids[0]) if i >= 0]
