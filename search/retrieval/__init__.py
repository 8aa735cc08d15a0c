"""Retrieval as parts: retrievers behind one protocol (lexical, dense, a fusion of two), the modes registered in
one place, and the stages after them (filter, per-document cap, rerank, annotate, fold).

- `search(store, embedder, request, fold=False, annotate=True, reranker=None)` -> SearchResponse: the one entry
- `MODES`, `get_mode(name)`, `mode_names()`, `evaluation_order()`: the registry every front end reads
- `Rerank(scorer)`, `load_cross_encoder(folder)`: the rerank seam (a scorer has `score(query, texts) -> floats`)

Names are imported from their modules on first use, so reading the mode registry (CLI --help) stays light.
"""
from __future__ import annotations

import importlib

_HOME = {
    "search.retrieval.modes": ("DEFAULT_MODE", "MODES", "Mode", "evaluation_order", "get_mode", "mode_names", "modes_help"),
    "search.retrieval.pipeline": ("candidate_depth", "search"),
    "search.retrieval.request": ("MAX_K", "MAX_QUERY_CHARS", "Hit", "SearchRequest", "SearchResponse"),
    "search.retrieval.rerank": ("Rerank", "Scorer", "load_cross_encoder"),
    "search.retrieval.retrievers": ("DenseRetriever", "FusionRetriever", "LexicalRetriever", "Query", "Retriever"),
}
_MODULE_OF = {name: module for module, names in _HOME.items() for name in names}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'search.retrieval' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
