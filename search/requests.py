"""Building a search request from front-end input: the one place the CLI, the web and the Python API share.

Errors name fields (`since`, `k`, `per_doc`, `mode`, `said_by`, `role`); each front end words them its own way.
Unless `literal`, a query that names who speaks ("What did China say about Ukraine?") is read as asked
(search.query_reading): its topic words are searched, said by its actors; the request keeps how it was read.
"""
from __future__ import annotations

from collections.abc import Iterable

from search.filters import Filters
from search.retrieval.modes import DEFAULT_MODE
from search.retrieval.request import SearchRequest


def build_filters(since: str | None = None, until: str | None = None, source: Iterable[str] = (), speaker: Iterable[str] = (),
                  lang: Iterable[str] = (), include_undated: bool = False, said_by: Iterable[str] = (), role: Iterable[str] = (),
                  include_imprecise: bool = False) -> Filters:
    """Filters from raw values: dates as YYYY, YYYY-MM or YYYY-MM-DD; source substrings; speaker names (whole words);
    language codes; said_by actors or their aliases (Beijing, the US); roles (answer, statement, question, ...).
    A year- or month-only date is inside since..until when all of it is, or, with `include_imprecise`, any of it."""
    return Filters.build(since, until, _listed(source), _listed(speaker), _listed(lang), include_undated, _listed(said_by), _listed(role),
                         include_imprecise=include_imprecise)


def build_request(query: str, *, mode: str = DEFAULT_MODE, k: int = 10, per_doc: int = 2, since: str | None = None,
                  until: str | None = None, source: Iterable[str] = (), speaker: Iterable[str] = (), lang: Iterable[str] = (),
                  include_undated: bool = False, said_by: Iterable[str] = (), role: Iterable[str] = (), filters: Filters | None = None,
                  exclude: Iterable[int] = (), highlight: bool = True, rerank: str | None = None, literal: bool = False,
                  facets: bool = False, include_imprecise: bool = False) -> SearchRequest:
    """A validated SearchRequest. Give `filters` ready-made, or the raw since/until/source/speaker/lang/said_by/role values;
    `rerank`: a local cross-encoder folder that reorders the top candidates; `literal`: search the query's words as
    typed (no reading of who speaks); `facets`: count actors, roles and speakers over the candidates."""
    if filters is None:
        filters = build_filters(since, until, source, speaker, lang, include_undated, said_by, role, include_imprecise)
    searched, reading = query, None
    if not literal and isinstance(query, str) and query.strip():
        from search.query_reading import read_query

        found = read_query(query)
        if found.said_by:
            searched, reading = found.topic, found
            filters = filters.with_said_by(found.said_by)
    request = SearchRequest(searched, mode=mode, k=k, per_doc=per_doc, filters=filters, exclude=frozenset(exclude), highlight=highlight,
                            rerank=rerank, asked=query if reading else None, reading=reading.as_dict() if reading else None,
                            facets=facets)
    request.validate()
    return request


def _listed(values) -> tuple[str, ...]:
    """A single string counts as one value (`source="KNA"`), not as its characters."""
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    return tuple(values)
