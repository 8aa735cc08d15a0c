"""Document filters turned into SQL over the `documents` table, for any alias the query gives it.

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


def where(filters: DocumentFilter | None, alias: str = "d") -> tuple[str, list]:
    """A WHERE fragment over `documents AS alias` (never empty: '1' when nothing filters) and its parameters."""
    if filters is None:
        return "1", []
    parts, params = [], []
    if filters.since or filters.until:
        clause, values = _date_clause(filters, alias)
        parts.append(clause)
        params += values
    for column, values in (("source", filters.sources), ("speaker", filters.speakers)):
        if values:
            parts.append("(" + " OR ".join(f"{alias}.{column} LIKE ? ESCAPE '\\'" for _ in values) + ")")
            params += [_like(v) for v in values]
    if filters.langs:
        parts.append("(" + " OR ".join(f"lower({alias}.lang) = ?" for _ in filters.langs) + ")")
        params += list(filters.langs)
    return (" AND ".join(parts) or "1"), params
