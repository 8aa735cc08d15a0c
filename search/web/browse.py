"""The pages that list and take away: /documents (the index's documents, filtered, with counts) and
/export.csv (every hit of a search as CSV, the search page's "download CSV" link). Each parses the query
string, makes one façade call, renders."""
from __future__ import annotations

import tempfile

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, StreamingResponse
from pydantic import ValidationError

from corpus.errors import DipsearchError
from search.web.api import SEARCH_OPTIONS, index_of
from search.web.errors import page_message, status_for
from search.web.pages import describe, form_values, render
from search.web.schemas import SearchParams
from search.web.views import default_mode_of

router = APIRouter(include_in_schema=False)
DOCUMENT_FIELDS = ("since", "until", "include_undated", "include_imprecise", "source", "speaker", "lang")
PAGE_SIZE = 200


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, page: int = 1):
    values = form_values(request, DOCUMENT_FIELDS)
    page = max(1, min(page, 10**6))
    context = {"form": values, "docs": None, "error": None, "page": page, "page_size": PAGE_SIZE}
    try:
        flags = {name: values.get(name) in ("1", "true", "on") for name in ("include_undated", "include_imprecise")}
        docs = index_of(request).documents(limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE,
                                           **{k: v for k, v in values.items() if k not in flags}, **flags)
    except DipsearchError as exc:
        return render(request, "documents.html", status_for(exc), **{**context, "error": page_message(exc)})
    rows = docs.records()
    context.update(docs=rows[:PAGE_SIZE], more=len(rows) > PAGE_SIZE)
    return render(request, "documents.html", **context)


@router.get("/export.csv")
def export_csv(request: Request):
    """Every hit of the search in the query string, as CSV (lexical: every match; by meaning: every hit scoring at
    least min_score, which the search page's link sets to the lowest score it shows)."""
    values = form_values(request, ("q", "mode", "since", "until", "include_undated", "include_imprecise", "source", "speaker",
                                   "lang", "min_score"))
    index = index_of(request)
    try:
        min_score = float(values.pop("min_score")) if "min_score" in values else None
    except ValueError:
        return render(request, "error.html", 400, status=400, message=f"min score {request.query_params['min_score']!r} is not a number")
    try:
        params = SearchParams.model_validate({"mode": default_mode_of(index), **values})
    except ValidationError as exc:
        return render(request, "error.html", 422, status=422, message=describe(exc))
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # large exports go to disk, not memory
    try:
        index.export(params.q, spool, format="csv", min_score=min_score,
                     **{name: getattr(params, name) for name in SEARCH_OPTIONS if name not in ("k", "per_doc")})
    except DipsearchError as exc:
        spool.close()
        return render(request, "error.html", status_for(exc), status=status_for(exc), message=page_message(exc))
    spool.seek(0)

    def chunks():
        with spool:
            while block := spool.read(1 << 16):
                yield block

    return StreamingResponse(chunks(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="dipsearch-export.csv"'})
