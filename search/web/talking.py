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
from search.web.api import index_of
from search.web.errors import page_message, status_for
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


def find(index, params: TalkingPointParams):
    """Stored talking points (a web request never starts the clustering run); a topic uses the model if the server has one."""
    return index.talking_points(params.q, since=params.since, until=params.until, source=params.source, speaker=params.speaker,
                                include_undated=params.include_undated, min_docs=params.min_docs, limit=params.limit, compute=False)


@router.get("/api/talking-points", summary="Sentences reused across documents, widest spread first")
def api_talking_points(request: Request, params: Annotated[TalkingPointParams, Query()]):
    clusters = find(index_of(request), params)
    return {"query": params.q, "min_docs": params.min_docs, "talking_points": clusters.records()}


@router.get("/api/passages/{passage_id}/similar", summary="Passages nearest in meaning to one passage")
def api_similar(request: Request, passage_id: PassageId, k: Annotated[int, Query(ge=1, le=MAX_SIMILAR)] = 10, same_document: bool = False):
    hits = index_of(request).similar(passage_id, k=k, same_document=same_document)
    return {"passage_id": passage_id, "results": hits.records()}


# ------------------------------------------------------------------ pages
@router.get("/talking-points", response_class=HTMLResponse, include_in_schema=False)
def talking_points_page(request: Request):
    from search.web.pages import describe, form_values, render
    from search.web.views import timeline, timeline_points

    values = form_values(request, ("q", "since", "until", "include_undated", "min_docs", "source", "speaker"))
    context = {"form": values, "clusters": None, "error": None, "charts": {}}
    try:
        clusters = find(index_of(request), TalkingPointParams.model_validate(values))
    except ValidationError as exc:
        return render(request, "talking_points.html", 422, **{**context, "error": describe(exc)})
    except DipsearchError as exc:
        return render(request, "talking_points.html", status_for(exc), **{**context, "error": page_message(exc)})
    charts = {c.cluster_id: timeline(timeline_points([m.date for m in c.members])) for c in clusters}
    return render(request, "talking_points.html", **{**context, "clusters": clusters, "charts": charts})


@router.get("/similar/{passage_id}", response_class=HTMLResponse, include_in_schema=False)
def similar_page(request: Request, passage_id: PassageId, k: Annotated[int, Query(ge=1, le=MAX_SIMILAR)] = 10):
    from search.web.pages import render

    hits = index_of(request).similar(passage_id, k=k)
    return render(request, "similar.html", passage_id=passage_id, hits=hits)
