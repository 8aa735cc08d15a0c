"""Parameters and responses of the HTTP API, as pydantic models (they make the OpenAPI schema)."""
from __future__ import annotations

from dataclasses import fields
from typing import Literal, Optional, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model

from index.passage_view import PassageView
from search.retrieval import DEFAULT_MODE, MAX_QUERY_CHARS, mode_names

WEB_MAX_K = 100  # a page or an API call returns at most this many passages
WEB_MAX_PER_DOC = 20
Mode = Literal[mode_names()]  # type: ignore[valid-type]  # the registry's names
DateBound = Optional[str]


class SearchParams(BaseModel):
    """Every option of `dipsearch search`, as query parameters (list ones repeat: ?source=A&source=B)."""

    model_config = ConfigDict(extra="ignore")

    q: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="What to look for; \"quoted phrases\" match exactly in lexical scoring.")
    mode: Mode = DEFAULT_MODE
    k: int = Field(10, ge=1, le=WEB_MAX_K, description="How many passages to return.")
    per_doc: int = Field(2, ge=1, le=WEB_MAX_PER_DOC, description="At most this many passages from one document.")
    since: DateBound = Field(None, max_length=10, description="Documents dated on/after: YYYY, YYYY-MM or YYYY-MM-DD.")
    until: DateBound = Field(None, max_length=10, description="Documents dated on/before.")
    source: list[str] = Field(default_factory=list, max_length=20, description="Source contains this (case-insensitive); any of several.")
    speaker: list[str] = Field(default_factory=list, max_length=20, description="Speaker contains this; any of several.")
    lang: list[str] = Field(default_factory=list, max_length=20, description="Language code, e.g. en.")
    include_undated: bool = Field(False, description="With since/until, keep documents whose date is unknown.")
    fold: bool = Field(False, description="Collapse passages repeating one talking point into one result.")


class FiltersOut(BaseModel):
    since: Optional[str]
    until: Optional[str]
    source: list[str]
    speaker: list[str]
    lang: list[str]
    include_undated: bool


def _passage_fields() -> dict:
    """The PassageView's fields as pydantic field definitions: the web schema does not spell the row out again."""
    hints = get_type_hints(PassageView)
    return {f.name: (hints[f.name], Field(description=f.metadata["description"]) if "description" in f.metadata else ...)
            for f in fields(PassageView)}


HitOut = create_model(
    "HitOut",
    rank=(int, ...),
    score=(float, ...),
    **_passage_fields(),
    highlights=(list[list[int]], Field(description="[start, end) character spans of query terms in text")),
    snippet=(str, ...),
    snippet_highlights=(list[list[int]], ...),
    talking_point=(Optional[dict], Field(None, description="the talking point this passage repeats: cluster_id, representative, other_documents, first, last")),
    folded=(list[int], Field(default_factory=list, description="passage ids of near-duplicates folded into this hit (fold=true)")),
)


class SearchOut(BaseModel):
    query: str
    mode: str
    filters: FiltersOut
    results: list[HitOut]
    notes: list[str] = Field(default_factory=list, description="how this query was run, when the user should know (e.g. dense left out for Chinese text with an English-only model)")


class PassageOut(BaseModel):
    passage_id: int
    ordinal: int
    char_start: int
    char_end: int
    n_tokens: int
    text: str


class DocumentOut(BaseModel):
    doc_id: str
    title: Optional[str]
    date: Optional[str]
    source: Optional[str]
    speaker: Optional[str]
    url: Optional[str]
    lang: Optional[str]
    status: dict[str, str] = Field(description="how each field was obtained: given, extracted, inferred or unknown")
    date_status: str
    meta: dict
    origin: Optional[str]
    added_at: Optional[str]
    text: str
    passages: list[PassageOut]


class StatsOut(BaseModel):
    index: str
    documents: int
    passages: int
    model: Optional[str]
    model_checksum: Optional[str]
    dimension: Optional[int]
    backend: Optional[str]
    index_type: Optional[str]
    format_version: int
    generation: int
    vectors_current: bool
    sources: dict[str, int]
    date_range: list[Optional[str]]
    undated: int


class ErrorOut(BaseModel):
    error: str = Field(description="What went wrong and what to do next.")


ERRORS = {400: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut}}
