"""Judging evaluation sets on the web: JSON routes and a keyboard-driven page over `search.evaluation.judging`.

Every action commits at once (the library's rule), so a judge can close the tab at any moment.
The page works without JavaScript (each button is a small form that POSTs and redirects back);
static/judge.js only adds keys: 2 relevant, 1 partly, 0 not relevant, s skip, u undo.
"""
from __future__ import annotations

import re
from typing import Literal, Optional
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from search.web.schemas import ERRORS, MAX_ID, CandidateQuery

router = APIRouter(tags=["evaluation"], responses=ERRORS)
_CANDIDATE_ID = re.compile(r"[0-9]{1,19}")  # ASCII digits only (str.isdigit takes '²'), at most SQLite's 64 bits


class JudgmentIn(BaseModel):
    candidate_id: int = Field(ge=1, le=MAX_ID, description="A candidate id of the set (from /next).")
    grade: Optional[Literal[0, 1, 2]] = Field(description="0 not relevant, 1 partly, 2 relevant; null skips the candidate")


async def form_fields(request: Request) -> dict:
    """A small urlencoded form body (the judging buttons), without a multipart dependency."""
    body = (await request.body())[:4096].decode("utf-8", "replace")
    return {key: values[-1] for key, values in parse_qs(body).items()}


def evalsets(request: Request):
    """The evaluation sets of the index this app serves (`Index.evalsets`)."""
    return request.app.state.index.evalsets


# ------------------------------------------------------------------ API
@router.get("/api/evaluation/sets", summary="Names of the evaluation sets in this index")
def api_sets(request: Request):
    return {"sets": evalsets(request).names()}


@router.get("/api/evaluation/{name}/progress", summary="Candidates, judged, skipped and remaining")
def api_progress(request: Request, name: str):
    return evalsets(request).progress(name)


@router.get("/api/evaluation/{name}/next", summary="The next candidate to judge (candidate null when all are done)")
def api_next(request: Request, name: str):
    cand = evalsets(request).next(name)
    return {"set": name, "candidate": cand.as_dict() if cand else None}


@router.post("/api/evaluation/{name}/judgments", summary="Grade (or, with grade null, skip) a candidate; committed at once")
def api_judge(request: Request, name: str, judgment: JudgmentIn):
    evalsets(request).judge(name, judgment.candidate_id, judgment.grade)
    return {"set": name, "candidate_id": judgment.candidate_id, "grade": judgment.grade}


@router.post("/api/evaluation/{name}/undo", summary="Take back the latest judgment or skip; returns that candidate, open again")
def api_undo(request: Request, name: str):
    cand = evalsets(request).undo(name)
    return {"set": name, "reopened": cand.as_dict() if cand else None}


# ------------------------------------------------------------------ pages
@router.get("/judge", response_class=HTMLResponse, include_in_schema=False)
def judge_index(request: Request):
    from search.web.pages import render

    return render(request, "judge_sets.html", names=evalsets(request).names())


@router.get("/judge/{name}", response_class=HTMLResponse, include_in_schema=False)
def judge_page(request: Request, name: str, candidate: CandidateQuery = None, note: str = ""):
    from search.web.pages import render

    cand = evalsets(request).candidate(name, candidate) if candidate else evalsets(request).next(name)
    return render(request, "judge.html", name=name, cand=cand, note=note[:200])


@router.post("/judge/{name}/grade", include_in_schema=False)
def judge_grade(request: Request, name: str, form: dict = Depends(form_fields)):
    from search.evaluation.errors import EvalSetError

    grade, candidate_id = form.get("grade", ""), form.get("candidate_id", "")
    if grade not in ("0", "1", "2", "skip") or not _CANDIDATE_ID.fullmatch(candidate_id) or int(candidate_id) > MAX_ID:
        raise EvalSetError(f"grade {grade!r} for candidate {candidate_id!r}: give a candidate id and one of 0, 1, 2 or skip")
    evalsets(request).judge(name, int(candidate_id), None if grade == "skip" else int(grade))
    note = "skipped" if grade == "skip" else f"graded+{grade}"
    return RedirectResponse(f"/judge/{quote(name, safe='')}?note={note}", status_code=303)


@router.post("/judge/{name}/undo", include_in_schema=False)
def judge_undo(request: Request, name: str):
    cand = evalsets(request).undo(name)
    if cand is None:
        return RedirectResponse(f"/judge/{quote(name, safe='')}?note=nothing+to+undo", status_code=303)
    return RedirectResponse(f"/judge/{quote(name, safe='')}?candidate={cand.candidate_id}&note=undone", status_code=303)
