"""Where the search entry used to live; it is `search.retrieval.search` now (retrievers, modes and stages as parts).
Kept so `from search.engine import SearchRequest, search` goes on working."""
from __future__ import annotations

from search.retrieval import MAX_K, MAX_QUERY_CHARS, Hit, SearchRequest, SearchResponse, candidate_depth, mode_names, search

MODES = mode_names()

__all__ = ["MAX_K", "MAX_QUERY_CHARS", "MODES", "Hit", "SearchRequest", "SearchResponse", "candidate_depth", "search"]
