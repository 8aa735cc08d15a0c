"""Talking points and similar passages on the web: JSON routes and pages over `search.talking_points`.

Talking points are read as stored in the index (computed by `dipsearch talking-points` or
`ingest --talking-points`); a web request never starts the long clustering run. A topic query
uses the model when the server has one.
"""
from __future__ import annotations

from typing import Annotated, Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from corpus.errors import DipsearchError
from search.web.schemas import ERRORS, DateBound, PassageId, date_field

router = APIRouter(tags=["talking points"], responses=ERRORS)
MAX_SIMILAR = 50


class TalkingPointParams(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: Optional[str] = Field(None, max_length=2000, description="Only talking points on this topic (by meaning or words).")
    since: DateBound = date_field("Used on/after: YYYY, YYYY-MM or YYYY-MM-DD.")
    until: DateBound = date_field("Used on/before: YYYY, YYYY-MM or YYYY-MM-DD.")
    source: list[str] = Field(default_factory=list, max_length=20)
    speaker: list[str] = Field(default_factory=list, max_length=20)
    include_undated: bool = False
    min_docs: int = Field(2, ge=2, le=1000, description="A talking point must appear in at least this many documents.")
    limit: int = Field(20, ge=1, le=100)


def find(rt, params: TalkingPointParams) -> list:
    from search.filters import Filters
    from search.talking_points import find_talking_points

    filters = Filters.build(params.since, params.until, params.source, params.speaker, (), params.include_undated)
    topic = (params.q or "").strip() or None
    with rt.lock:
        embedder = rt.optional_embedder() if topic else None
        return find_talking_points(rt.store, embedder, filters, topic, params.min_docs, params.limit, refresh=topic is None)


def similar(rt, passage_id: int, k: int, same_document: bool) -> list:
    from search.talking_points import similar_passages

    with rt.lock:
        return similar_passages(rt.store, None, passage_id=passage_id, k=k, other_documents=not same_document)


@router.get("/api/talking-points", summary="Sentences reused across documents, widest spread first")
def api_talking_points(request: Request, params: Annotated[TalkingPointParams, Query()]):
    clusters = find(request.app.state.runtime, params)
    return {"query": params.q, "min_docs": params.min_docs, "talking_points": [c.as_dict() for c in clusters]}


@router.get("/api/passages/{passage_id}/similar", summary="Passages nearest in meaning to one passage")
def api_similar(request: Request, passage_id: PassageId, k: Annotated[int, Query(ge=1, le=MAX_SIMILAR)] = 10, same_document: bool = False):
    hits = similar(request.app.state.runtime, passage_id, k, same_document)
    return {"passage_id": passage_id, "results": [h.as_dict() for h in hits]}


# ------------------------------------------------------------------ pages
@router.get("/talking-points", response_class=HTMLResponse, include_in_schema=False)
def talking_points_page(request: Request):
    from search.web.pages import describe, form_values, render
    from search.web.views import timeline, timeline_points

    values = form_values(request, ("q", "since", "until", "include_undated", "min_docs", "source", "speaker"))
    context = {"form": values, "clusters": None, "error": None, "charts": {}}
    try:
        clusters = find(request.app.state.runtime, TalkingPointParams.model_validate(values))
    except ValidationError as exc:
        return render(request, "talking_points.html", 422, **{**context, "error": describe(exc)})
    except DipsearchError as exc:
        return render(request, "talking_points.html", 400, **{**context, "error": str(exc)})
    charts = {c.cluster_id: timeline(timeline_points([m.date for m in c.members])) for c in clusters}
    return render(request, "talking_points.html", **{**context, "clusters": clusters, "charts": charts})


@router.get("/similar/{passage_id}", response_class=HTMLResponse, include_in_schema=False)
def similar_page(request: Request, passage_id: PassageId, k: Annotated[int, Query(ge=1, le=MAX_SIMILAR)] = 10):
    from search.web.pages import render

    hits = similar(request.app.state.runtime, passage_id, k, False)
    return render(request, "similar.html", passage_id=passage_id, hits=hits)
