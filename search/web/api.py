"""The JSON API. Each route parses its parameters, makes one call on the index façade, returns JSON."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from search.web.schemas import ERRORS, DocumentOut, SearchOut, SearchParams, StatsOut

router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)
SEARCH_OPTIONS = ("mode", "k", "per_doc", "since", "until", "source", "speaker", "lang", "include_undated", "include_imprecise", "said_by",
                  "role", "literal", "facets")


def index_of(request: Request):
    """The `search.api.Index` this app serves."""
    return request.app.state.index


def run_search(index, params: SearchParams):
    """The search for validated parameters (the façade builds the request with the CLI's builder)."""
    return index.search(params.q, fold=params.fold, **{name: getattr(params, name) for name in SEARCH_OPTIONS})


@router.get("/search", response_model=SearchOut, summary="Search passages by meaning and words")
def api_search(request: Request, params: Annotated[SearchParams, Query()]):
    return run_search(index_of(request), params).as_dict()


@router.get("/documents/{doc_id:path}", response_model=DocumentOut, summary="A document with its metadata and passages")
def api_document(request: Request, doc_id: Annotated[str, Path(description="The document id, percent-encoded (a/b is a%2Fb).")]):
    return index_of(request).document(doc_id)


@router.get("/stats", response_model=StatsOut, summary="Counts, model, sources and date range of the index")
def api_stats(request: Request):
    return index_of(request).stats()
