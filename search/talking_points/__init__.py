"""Talking points: sentences reused across documents, verbatim or reworded, clustered and stored in the index.

Library API (what the CLI and the web front end call):
- `find_talking_points(store, embedder, filters, query, min_docs, limit, options)` -> list[Cluster]
- `refresh_talking_points(store, embedder, options)` -> RefreshReport (embeds only new sentences)
- `similar_passages(store, embedder, passage_id=..., text=..., k=...)` -> list[SimilarPassage]
- `annotate_hits(store, hits)`, `fold_hits(hits, k)` (the annotate and fold stages of `search.retrieval.search`)
"""
from search.talking_points.annotate import annotate_hits, fold_hits
from search.talking_points.options import TalkingPointOptions
from search.talking_points.query import Cluster, Member, ensure_talking_points, find_talking_points
from search.talking_points.refresh import RefreshReport, refresh_talking_points
from search.talking_points.similar import SimilarPassage, similar_passages

__all__ = ["Cluster", "Member", "RefreshReport", "SimilarPassage", "TalkingPointOptions", "annotate_hits", "ensure_talking_points",
           "find_talking_points", "fold_hits", "refresh_talking_points", "similar_passages"]
