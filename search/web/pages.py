"""Server-rendered pages. Each parses the query string, makes one library call, renders a template.

The search page's URL carries the query and filters (/?q=...&since=...), so a results page can be shared.
Errors show in an error box on the page, never as a traceback.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from corpus.errors import DipsearchError
from search.web.api import index_of, run_search
from search.web.errors import page_message, status_for
from search.web.schemas import PassageQuery, SearchParams
from search.web.views import default_mode_of

router = APIRouter(include_in_schema=False)
LIST_PARAMS = ("source", "speaker", "lang", "said_by", "role")
FORM_FIELDS = ("q", "mode", "k", "per_doc", "since", "until", "include_undated", "include_imprecise", "fold", "literal") + LIST_PARAMS


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status, status=status, message=message)


def form_values(request: Request, fields=FORM_FIELDS) -> dict:
    """A form's fields from the query string: lists for repeatable ones, empty values dropped."""
    qp = request.query_params
    values: dict = {}
    for name in fields:
        if name in LIST_PARAMS:
            items = [v for v in qp.getlist(name) if v.strip()]
            if items:
                values[name] = items
        elif qp.get(name, "").strip():
            values[name] = qp[name]
    return values


def describe(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'request'}: {e['msg']}" for e in exc.errors())


def trend_chart(index, params) -> dict | None:
    """The SVG geometry of the query's trend (documents holding all its words, per month or year), or None."""
    from search.requests import build_filters
    from search.web.views import timeline

    try:
        filters = build_filters(params.since, params.until, params.source, params.speaker, params.lang, params.include_undated,
                                params.said_by, params.role, include_imprecise=params.include_imprecise)
        result = index.trend(params.q, filters=filters, period="month", match="all")
        if len(result.series) > 36:
            result = index.trend(params.q, filters=filters, period="year", match="all")
    except DipsearchError:
        return None
    return timeline([(row["period"], row["matches"]) for row in result.series]) if result.series else None


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request):
    values = form_values(request)
    context = {"form": values, "response": None, "error": None}
    if "q" not in values:
        return render(request, "search.html", **context)
    try:
        params = SearchParams.model_validate({"mode": default_mode_of(index_of(request)), **values})  # lexical without a model
        context["response"] = run_search(index_of(request), params).response
        context["trend_chart"] = trend_chart(index_of(request), params)
    except ValidationError as exc:
        return render(request, "search.html", 422, **{**context, "error": describe(exc)})
    except DipsearchError as exc:
        return render(request, "search.html", status_for(exc), **{**context, "error": page_message(exc)})
    return render(request, "search.html", **context)


@router.get("/doc/{doc_id:path}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str, p: PassageQuery = None, q: str = "", id: str = ""):
    doc_id = doc_id or id  # /doc/?id=.. for ids a URL path cannot carry
    query = q[:2000]
    doc = index_of(request).document(doc_id, query=query)
    return render(request, "document.html", doc=doc, focus=p, query=query)


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request):
    return render(request, "stats.html", stats=index_of(request).stats())
