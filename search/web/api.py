"""The JSON API. Each route parses its parameters, makes one library call under the lock, returns JSON."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from search.web.schemas import ERRORS, DocumentOut, SearchOut, SearchParams, StatsOut

router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


def runtime(request: Request):
    return request.app.state.runtime


def run_search(rt, params: SearchParams):
    """Build the library request from validated parameters and run it (raises InvalidQuery on bad dates)."""
    from search.filters import Filters
    from search.retrieval import SearchRequest, search

    filters = Filters.build(params.since, params.until, params.source, params.speaker, params.lang, params.include_undated)
    request = SearchRequest(params.q, mode=params.mode, k=params.k, per_doc=params.per_doc, filters=filters)
    request.validate()
    with rt.lock:
        embedder = rt.embedder() if request.needs_embedder else None
        return search(rt.store, embedder, request, fold=params.fold)


def load_document(rt, doc_id: str) -> dict:
    from search.documents import get_document

    with rt.lock:
        return get_document(rt.store, doc_id)


def load_stats(rt) -> dict:
    with rt.lock:
        return rt.store.stats()


@router.get("/search", response_model=SearchOut, summary="Search passages by meaning and words")
def api_search(request: Request, params: Annotated[SearchParams, Query()]):
    return run_search(runtime(request), params).as_dict()


@router.get("/documents/{doc_id}", response_model=DocumentOut, summary="A document with its metadata and passages")
def api_document(request: Request, doc_id: str):
    return load_document(runtime(request), doc_id)


@router.get("/stats", response_model=StatsOut, summary="Counts, model, sources and date range of the index")
def api_stats(request: Request):
    return load_stats(runtime(request))
