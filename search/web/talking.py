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
    said_by: list[str] = Field(default_factory=list, max_length=20, description="Spoken for this actor (China, Beijing, the US, ...).")
    role: list[str] = Field(default_factory=list, max_length=10, description="Passage role: statement, answer, quote, ...")
    include_undated: bool = False
    min_docs: int = Field(2, ge=2, le=1000, description="A talking point must appear in at least this many documents.")
    limit: int = Field(20, ge=1, le=100)
    kind: str = Field("all", pattern="^(all|phrase|sentence)$", description="phrase (formulas), sentence (clusters) or all.")
    period: str = Field("month", pattern="^(month|quarter|year)$", description="History per month, quarter or year.")


def find(index, params: TalkingPointParams):
    """Stored talking points (a web request never starts the clustering run); a topic uses the model if the server has one."""
    return index.talking_points(params.q, filters=filters_of(params), min_docs=params.min_docs, limit=params.limit, compute=False)


def filters_of(params):
    from search.requests import build_filters

    return build_filters(params.since, params.until, params.source, params.speaker, (), params.include_undated, params.said_by, params.role)


def find_items(index, params: TalkingPointParams) -> list:
    """(kind, item) of formulas and sentence clusters in one list (search.formulas.combined)."""
    from search.formulas.combined import merged

    clusters = list(find(index, params)) if params.kind != "phrase" else []
    formulas = list(index.formulas(params.q, filters=filters_of(params), min_docs=params.min_docs, limit=params.limit)) if params.kind != "sentence" else []
    return merged(formulas, clusters)


@router.get("/api/talking-points", summary="Formulas and sentences reused across documents, as one list")
def api_talking_points(request: Request, params: Annotated[TalkingPointParams, Query()]):
    from search.formulas.combined import records

    items = find_items(index_of(request), params)
    return {"query": params.q, "min_docs": params.min_docs, "kind": params.kind, "period": params.period, "items": records(items, params.period),
            "talking_points": [item.as_dict() for kind, item in items if kind == "sentence"]}


class TrendParams(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str = Field(..., min_length=1, max_length=2000, description="Words or a phrase to follow over time.")
    period: str = Field("month", pattern="^(month|quarter|year)$")
    match: str = Field("phrase", pattern="^(phrase|all)$", description="phrase (words in order) or all (every word in one passage).")
    since: DateBound = date_field("Dated on/after: YYYY, YYYY-MM or YYYY-MM-DD.")
    until: DateBound = date_field("Dated on/before: YYYY, YYYY-MM or YYYY-MM-DD.")
    source: list[str] = Field(default_factory=list, max_length=20)
    speaker: list[str] = Field(default_factory=list, max_length=20)
    lang: list[str] = Field(default_factory=list, max_length=20)
    said_by: list[str] = Field(default_factory=list, max_length=20, description="A matching passage is said for this actor.")
    role: list[str] = Field(default_factory=list, max_length=10)
    include_undated: bool = False


@router.get("/api/trend", summary="Documents matching a query per period and source, over the period's volume")
def api_trend(request: Request, params: Annotated[TrendParams, Query()]):
    from search.requests import build_filters

    filters = build_filters(params.since, params.until, params.source, params.speaker, params.lang, params.include_undated,
                            params.said_by, params.role)
    return index_of(request).trend(params.q, filters=filters, period=params.period, match=params.match).as_dict()


@router.get("/api/passages/{passage_id}/similar", summary="Passages nearest in meaning to one passage")
def api_similar(request: Request, passage_id: PassageId, k: Annotated[int, Query(ge=1, le=MAX_SIMILAR)] = 10, same_document: bool = False):
    hits = index_of(request).similar(passage_id, k=k, same_document=same_document)
    return {"passage_id": passage_id, "results": hits.records()}


# ------------------------------------------------------------------ pages
@router.get("/talking-points", response_class=HTMLResponse, include_in_schema=False)
def talking_points_page(request: Request):
    from search.web.pages import describe, form_values, render
    from search.web.views import timeline, timeline_points

    values = form_values(request, ("q", "since", "until", "include_undated", "min_docs", "source", "speaker", "said_by", "role", "kind"))
    context = {"form": values, "clusters": None, "items": None, "error": None, "charts": {}}
    try:
        items = find_items(index_of(request), TalkingPointParams.model_validate(values))
    except ValidationError as exc:
        return render(request, "talking_points.html", 422, **{**context, "error": describe(exc)})
    except DipsearchError as exc:
        return render(request, "talking_points.html", status_for(exc), **{**context, "error": page_message(exc)})
    clusters = [item for kind, item in items if kind == "sentence"]
    charts = {c.cluster_id: timeline(timeline_points([m.date for m in c.members])) for c in clusters}
    phrase_charts = {item.rank: timeline(timeline_points([u.date for u in item.uses])) for kind, item in items if kind == "phrase"}
    return render(request, "talking_points.html", **{**context, "clusters": clusters, "items": items, "charts": charts,
                                                     "phrase_charts": phrase_charts})


@router.get("/similar/{passage_id}", response_class=HTMLResponse, include_in_schema=False)
def similar_page(request: Request, passage_id: PassageId, k: Annotated[int, Query(ge=1, le=MAX_SIMILAR)] = 10):
    from search.web.pages import render

    hits = index_of(request).similar(passage_id, k=k)
    return render(request, "similar.html", passage_id=passage_id, hits=hits)
