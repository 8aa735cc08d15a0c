"""Parameters and responses of the HTTP API, as pydantic models (they make the OpenAPI schema)."""
from __future__ import annotations

from dataclasses import fields
from typing import Annotated, Literal, Optional, get_type_hints

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, create_model

from index.passage_view import PassageView
from search.retrieval import DEFAULT_MODE, MAX_QUERY_CHARS, mode_names

WEB_MAX_K = 100  # a page or an API call returns at most this many passages
WEB_MAX_PER_DOC = 20
# Ids are SQLite integers (64-bit signed): a larger number cannot name anything, and binding it overflows.
MAX_ID = 2**63 - 1
Mode = Literal[mode_names()]  # type: ignore[valid-type]  # the registry's names
# The library reads YYYY, YYYY-MM or YYYY-MM-DD (month and day with one or two digits, white space around ignored,
# empty meaning no bound) and checks the calendar (2019-02-30 is refused with 400); the schema declares the
# shape so clients and fuzzers know it.
DATE_PATTERN = r"^\s*([0-9]{4}(-(0?[1-9]|1[0-2])(-(0?[1-9]|[12][0-9]|3[01]))?)?)?\s*$"
DateBound = Optional[str]


def date_field(description: str):
    """A since/until parameter: the shape is in the schema; the library words a bad date (400)."""
    return Field(None, max_length=10, description=description, json_schema_extra={"pattern": DATE_PATTERN})


PassageId = Annotated[int, Path(ge=1, le=MAX_ID, description="A passage id (from a search result's passage_id).")]
CandidateQuery = Annotated[Optional[int], Query(ge=1, le=MAX_ID, description="A candidate id of the set.")]
PassageQuery = Annotated[Optional[int], Query(ge=1, le=MAX_ID, description="The passage to show first.")]


class SearchParams(BaseModel):
    """Every option of `dipsearch search`, as query parameters (list ones repeat: ?source=A&source=B)."""

    model_config = ConfigDict(extra="ignore")

    q: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="What to look for; \"quoted phrases\" match exactly in lexical scoring.")
    mode: Mode = DEFAULT_MODE
    k: int = Field(10, ge=1, le=WEB_MAX_K, description="How many passages to return.")
    per_doc: int = Field(2, ge=1, le=WEB_MAX_PER_DOC, description="At most this many passages from one document.")
    since: DateBound = date_field("Documents dated on/after: YYYY, YYYY-MM or YYYY-MM-DD.")
    until: DateBound = date_field("Documents dated on/before: YYYY, YYYY-MM or YYYY-MM-DD.")
    source: list[str] = Field(default_factory=list, max_length=20, description="Source contains this (case-insensitive); any of several.")
    speaker: list[str] = Field(default_factory=list, max_length=20, description="The passage's speaker has these whole words (Xi: Xi Jinping, not Maxine); any of several.")
    lang: list[str] = Field(default_factory=list, max_length=20, description="Language code, e.g. en.")
    said_by: list[str] = Field(default_factory=list, max_length=20, description="Spoken for this actor (China, Beijing, the US, ...; case-insensitive); any of several.")
    role: list[str] = Field(default_factory=list, max_length=10, description="Passage role: statement, answer, question, quote, narration, procedural, mixed; any of several.")
    literal: bool = Field(False, description="Search the words as typed: do not read \"What did China say about X?\" as said by China, about X.")
    facets: bool = Field(True, description="Count actors, roles and speakers over the candidates.")
    include_undated: bool = Field(False, description="With since/until, keep documents whose date is unknown.")
    include_imprecise: bool = Field(False, description="With since/until, keep a year- or month-only date that only overlaps them.")
    fold: bool = Field(False, description="Collapse passages repeating one talking point into one result.")


class FiltersOut(BaseModel):
    since: Optional[str]
    until: Optional[str]
    source: list[str]
    speaker: list[str]
    lang: list[str]
    include_undated: bool
    include_imprecise: bool = False
    said_by: list[str] = Field(default_factory=list)
    role: list[str] = Field(default_factory=list)


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
    interpretation: Optional[str] = Field(None, description="how the query was read, e.g. 'read as: said by China \u00b7 about: Ukraine'; null when taken literally")
    reading: Optional[dict] = Field(None, description="the reading in parts: literal_query, said_by, speakers, topic, actor_words, description")
    facets: Optional[dict[str, list[list]]] = Field(None, description="counts over the candidates: actor, role and speaker, each [[value, count], ...]")


class PassageOut(BaseModel):
    passage_id: int
    ordinal: int
    char_start: int
    char_end: int
    n_tokens: int
    text: str
    speaker: Optional[str] = None
    speaker_status: Optional[str] = None
    role: Optional[str] = Field(None, description="statement, answer, question, quote, narration, procedural, mixed; null: not attributed")
    actor: Optional[str] = None
    actor_status: Optional[str] = None
    answers_passage: Optional[int] = Field(None, description="for an answer: the ordinal of the question's first passage")


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


ERRORS = {400: {"model": ErrorOut, "description": "Bad request, or a Host this server does not answer to"},
          404: {"model": ErrorOut}, 413: {"model": ErrorOut, "description": "Request body too large"},
          422: {"model": ErrorOut}}


def exact_bounds(node):
    """FastAPI's OpenAPI models hold minimum/maximum as floats, which turns MAX_ID into 2**63 (one past it).
    Put the exact integers back in integer schemas; returns `node`, changed in place."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            for key in ("minimum", "maximum"):
                if isinstance(node.get(key), float):
                    node[key] = MAX_ID if node[key] >= MAX_ID else int(node[key])
        for value in node.values():
            exact_bounds(value)
    elif isinstance(node, list):
        for value in node:
            exact_bounds(value)
    return node
