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

    @property
    def active(self) -> bool: ...


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def where(filters: DocumentFilter | None, alias: str = "d") -> tuple[str, list]:
    """A WHERE fragment over `documents AS alias` (never empty: '1' when nothing filters) and its parameters."""
    if filters is None:
        return "1", []
    parts, params = [], []
    if filters.since or filters.until:
        bounds = []
        if filters.since:
            bounds.append(f"{alias}.date >= ?")
            params.append(filters.since)
        if filters.until:
            bounds.append(f"{alias}.date <= ?")
            params.append(filters.until)
        dated = " AND ".join(bounds)
        parts.append(f"(({dated}) OR {alias}.date IS NULL)" if filters.include_undated else f"({dated})")
    for column, values in (("source", filters.sources), ("speaker", filters.speakers)):
        if values:
            parts.append("(" + " OR ".join(f"{alias}.{column} LIKE ? ESCAPE '\\'" for _ in values) + ")")
            params += [_like(v) for v in values]
    if filters.langs:
        parts.append("(" + " OR ".join(f"lower({alias}.lang) = ?" for _ in filters.langs) + ")")
        params += list(filters.langs)
    return (" AND ".join(parts) or "1"), params
