"""Building a search request from front-end input: the one place the CLI, the web and the Python API share.

Errors name fields (`since`, `k`, `per_doc`, `mode`); each front end words them its own way.
"""
from __future__ import annotations

from collections.abc import Iterable

from search.filters import Filters
from search.retrieval.modes import DEFAULT_MODE
from search.retrieval.request import SearchRequest


def build_filters(since: str | None = None, until: str | None = None, source: Iterable[str] = (), speaker: Iterable[str] = (),
                  lang: Iterable[str] = (), include_undated: bool = False, include_imprecise: bool = False) -> Filters:
    """Filters from raw values: dates as YYYY, YYYY-MM or YYYY-MM-DD; source/speaker substrings; language codes.
    A year- or month-only date is inside since..until when all of it is, or, with `include_imprecise`, any of it."""
    return Filters.build(since, until, _listed(source), _listed(speaker), _listed(lang), include_undated,
                         include_imprecise=include_imprecise)


def build_request(query: str, *, mode: str = DEFAULT_MODE, k: int = 10, per_doc: int = 2, since: str | None = None,
                  until: str | None = None, source: Iterable[str] = (), speaker: Iterable[str] = (), lang: Iterable[str] = (),
                  include_undated: bool = False, filters: Filters | None = None, exclude: Iterable[int] = (),
                  highlight: bool = True, rerank: str | None = None, include_imprecise: bool = False) -> SearchRequest:
    """A validated SearchRequest. Give `filters` ready-made, or the raw since/until/source/speaker/lang values;
    `rerank`: a local cross-encoder folder that reorders the top candidates."""
    if filters is None:
        filters = build_filters(since, until, source, speaker, lang, include_undated, include_imprecise)
    request = SearchRequest(query, mode=mode, k=k, per_doc=per_doc, filters=filters, exclude=frozenset(exclude), highlight=highlight,
                            rerank=rerank)
    request.validate()
    return request


def _listed(values) -> tuple[str, ...]:
    """A single string counts as one value (`source="KNA"`), not as its characters."""
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    return tuple(values)
