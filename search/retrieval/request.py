"""What a search asks for and what it returns."""
from __future__ import annotations

from dataclasses import dataclass, field

from corpus.textfile import invalid_character
from index.passage_view import CarriesPassage, PassageView
from search.errors import InvalidQuery
from search.filters import Filters
from search.retrieval.modes import DEFAULT_MODE, get_mode, mode_names

MAX_K = 1000
MAX_QUERY_CHARS = 2000


@dataclass(frozen=True)
class SearchRequest:
    query: str
    mode: str = DEFAULT_MODE
    k: int = 10
    per_doc: int = 2
    filters: Filters = field(default_factory=Filters)
    exclude: frozenset[int] = frozenset()  # passage ids never returned (evaluation: a question's own passage)
    highlight: bool = True  # compute highlight spans and snippets (runs scored offline don't need them)
    rerank: str | None = None  # a local cross-encoder folder that reorders the top candidates (search.retrieval.rerank)
    asked: str | None = None  # the query as typed, when it was read as naming who speaks (query is then its topic)
    reading: dict | None = None  # how it was read (search.query_reading.Reading.as_dict), else None
    facets: bool = False  # count actors, roles and speakers over the candidates

    @property
    def interpretation(self) -> str | None:
        """'read as: said by China · about: Ukraine', or None when the query was taken literally."""
        return self.reading["description"] if self.reading else None

    def validate(self) -> None:
        if not self.query or not self.query.strip():
            raise InvalidQuery('the query is empty; give some words, e.g. dipsearch search "Taiwan question"')
        if invalid_character(self.query):
            raise InvalidQuery(f"the query holds {invalid_character(self.query)}; give it as UTF-8 text")
        if len(self.query) > MAX_QUERY_CHARS:
            raise InvalidQuery(f"the query is {len(self.query)} characters; the limit is {MAX_QUERY_CHARS}")
        if get_mode(self.mode) is None:
            raise InvalidQuery("{mode} {value!r} is not one of {modes}", fields=("mode",), value=self.mode, modes=", ".join(mode_names()))
        if not 1 <= self.k <= MAX_K:
            raise InvalidQuery("{k} {value} is out of range; use 1 to {most}", fields=("k",), value=self.k, most=MAX_K)
        if self.per_doc < 1:
            raise InvalidQuery("{per_doc} {value} must be at least 1", fields=("per_doc",), value=self.per_doc)

    @property
    def needs_embedder(self) -> bool:
        mode = get_mode(self.mode)
        return bool(mode and mode.needs_embedder)


@dataclass
class Hit(CarriesPassage):
    """A ranked passage: its view (hit.doc_id, hit.text, ... read through) and how it matched."""

    rank: int
    score: float
    passage: PassageView
    highlights: list[tuple[int, int]]
    snippet: str
    snippet_highlights: list[tuple[int, int]]
    talking_point: dict | None = None  # set by the annotate stage: {cluster_id, representative, other_documents, first, last}
    folded: list[int] = field(default_factory=list)  # passage ids of near-duplicates folded into this hit (fold)

    def as_dict(self) -> dict:
        return {"rank": self.rank, "score": self.score, **self.passage.as_dict(),
                "highlights": [list(s) for s in self.highlights], "snippet": self.snippet,
                "snippet_highlights": [list(s) for s in self.snippet_highlights],
                "talking_point": self.talking_point, "folded": list(self.folded)}


@dataclass
class SearchResponse:
    query: str
    mode: str
    filters: Filters
    results: list[Hit]
    notes: list[str] = field(default_factory=list)  # what the user should know about how this query was run
    interpretation: str | None = None  # 'read as: said by China · about: Ukraine' (None: taken literally)
    reading: dict | None = None  # the reading in parts: literal_query, said_by, speakers, topic, ...
    facets: dict | None = None  # {"actor": [[value, count], ...], "role": ..., "speaker": ...} over the candidates, when asked

    def as_dict(self) -> dict:
        return {"query": self.query, "mode": self.mode, "filters": self.filters.as_dict(), "results": [h.as_dict() for h in self.results],
                "notes": list(self.notes), "interpretation": self.interpretation, "reading": self.reading, "facets": self.facets}
