"""Filters turned into SQL over the `documents` table and (who speaks) the `passages` table, for the aliases the query
gives them. With no passage alias (a query over documents only), the passage conditions become "the document has
a passage that passes" (EXISTS).

The speaker condition is on the passage's own speaker (its document's while it is unattributed), matched by whole
name tokens (`Xi` matches "Xi Jinping", not "Maxine McClean"), through the SQL function `name_tokens_match`
(index/sql_functions.py).

A filter is any object with the attributes of `search.filters.Filters` (`DocumentFilter` below):
the search layer builds and validates it, the store alone turns it into SQL.
"""
from __future__ import annotations

from typing import Protocol


class DocumentFilter(Protocol):
    since: str | None  # ISO day, inclusive
    until: str | None  # ISO day, inclusive
    sources: tuple[str, ...]  # case-insensitive substrings, any of
    speakers: tuple[str, ...]
    langs: tuple[str, ...]  # lower-case codes, any of
    include_undated: bool  # with a date bound, keep documents whose date is unknown
    include_imprecise: bool  # a year or month that only overlaps the bounds counts as inside
    said_by: tuple[str, ...]  # canonical actors, any of
    roles: tuple[str, ...]  # passage roles, any of

    @property
    def active(self) -> bool: ...


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def first_day(alias: str = "d") -> str:
    """The first day `alias.date` covers at its precision ('1988' -> '1988-01-01', '1988-09' -> '1988-09-01')."""
    return f"(CASE length({alias}.date) WHEN 4 THEN {alias}.date || '-01-01' WHEN 7 THEN {alias}.date || '-01' ELSE {alias}.date END)"


def last_day(alias: str = "d") -> str:
    """The last day `alias.date` covers at its precision ('1988' -> '1988-12-31', '1988-02' -> '1988-02-29')."""
    return (f"(CASE length({alias}.date) WHEN 4 THEN {alias}.date || '-12-31' "
            f"WHEN 7 THEN date({alias}.date || '-01', '+1 month', '-1 day') ELSE {alias}.date END)")


def _date_clause(filters: DocumentFilter, alias: str) -> tuple[str, list]:
    """A date inside since..until (ISO days) when every day it covers is; with include_imprecise, when any is.
    The rule of corpus.dates.date_within, in SQL."""
    loose = getattr(filters, "include_imprecise", False)
    low, high = (last_day(alias), first_day(alias)) if loose else (first_day(alias), last_day(alias))
    bounds, params = [], []
    if filters.since:
        bounds.append(f"{low} >= ?")
        params.append(filters.since)
    if filters.until:
        bounds.append(f"{high} <= ?")
        params.append(filters.until)
    dated = " AND ".join(bounds)
    return (f"(({dated}) OR {alias}.date IS NULL)" if filters.include_undated else f"({dated})"), params


def _passage_conditions(filters: DocumentFilter, alias: str, p: str) -> tuple[list[str], list]:
    parts, params = [], []
    if filters.speakers:
        spoken = f"(CASE WHEN {p}.role IS NULL THEN {alias}.speaker ELSE {p}.speaker END)"
        parts.append("(" + " OR ".join(f"name_tokens_match({spoken}, ?)" for _ in filters.speakers) + ")")
        params += list(filters.speakers)
    for column, values in (("actor", getattr(filters, "said_by", ())), ("role", getattr(filters, "roles", ()))):
        if values:
            parts.append(f"{p}.{column} IN ({', '.join('?' for _ in values)})")
            params += list(values)
    excluded = getattr(filters, "exclude_roles", ())
    if excluded:
        parts.append(f"({p}.role IS NULL OR {p}.role NOT IN ({', '.join('?' for _ in excluded)}))")
        params += list(excluded)
    return parts, params


def where(filters: DocumentFilter | None, alias: str = "d", passage_alias: str | None = None) -> tuple[str, list]:
    """A WHERE fragment over `documents AS alias` (and `passages AS passage_alias`, when given) -- never empty: '1'
    when nothing filters -- and its parameters."""
    if filters is None:
        return "1", []
    parts, params = [], []
    if filters.since or filters.until:
        clause, values = _date_clause(filters, alias)
        parts.append(clause)
        params += values
    if filters.sources:
        parts.append("(" + " OR ".join(f"{alias}.source LIKE ? ESCAPE '\\'" for _ in filters.sources) + ")")
        params += [_like(v) for v in filters.sources]
    if filters.langs:
        parts.append("(" + " OR ".join(f"lower({alias}.lang) = ?" for _ in filters.langs) + ")")
        params += list(filters.langs)
    spoken, spoken_params = _passage_conditions(filters, alias, passage_alias or "fp")
    if spoken and passage_alias:
        parts += spoken
        params += spoken_params
    elif spoken:
        parts.append(f"EXISTS (SELECT 1 FROM passages fp WHERE fp.doc_id = {alias}.doc_id AND {' AND '.join(spoken)})")
        params += spoken_params
    return (" AND ".join(parts) or "1"), params
