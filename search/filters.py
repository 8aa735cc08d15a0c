"""Metadata filters on documents: parsed and validated here, turned into SQL by the store (index/filter_sql.py)."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from search.errors import InvalidQuery

_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_bound(value: str | None, end: bool, name: str) -> str | None:
    """'2019' / '2019-05' / '2019-05-11' -> an ISO day; a bare year or month covers all of it. `name` is the
    field (since, until) that errors are about."""
    if value is None or not value.strip():
        return None
    m = _DATE.fullmatch(value.strip())
    if not m:
        raise InvalidQuery("{%s} {value!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. {%s} 2019-05)" % (name, name), fields=(name,), value=value)
    year, month, day = int(m[1]), int(m[2] or (12 if end else 1)), m[3]
    if not 1 <= month <= 12:
        raise InvalidQuery("{%s} {value!r}: month must be 1-12" % name, fields=(name,), value=value)
    last = calendar.monthrange(year, month)[1]
    day = int(day) if day else (last if end else 1)
    if not 1 <= day <= last:
        raise InvalidQuery("{%s} {value!r}: day must be 1-{last}" % name, fields=(name,), value=value, last=last)
    return f"{year:04d}-{month:02d}-{day:02d}"


@dataclass(frozen=True)
class Filters:
    since: str | None = None  # ISO day, inclusive
    until: str | None = None  # ISO day, inclusive
    sources: tuple[str, ...] = ()  # case-insensitive substrings, any of
    speakers: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    include_undated: bool = False  # with a date bound, keep documents whose date is unknown
    include_imprecise: bool = False  # a year or month date that only overlaps since..until counts as inside

    @classmethod
    def build(cls, since=None, until=None, sources=(), speakers=(), langs=(), include_undated=False,
              include_imprecise=False) -> "Filters":
        lo, hi = parse_bound(since, False, "since"), parse_bound(until, True, "until")
        if lo and hi and lo > hi:
            raise InvalidQuery("{since} {lo} is after {until} {hi}; swap them", fields=("since", "until"), lo=since, hi=until)
        clean = lambda values: tuple(v.strip() for v in values or () if v and v.strip())
        return cls(lo, hi, clean(sources), clean(speakers), tuple(v.lower() for v in clean(langs)), include_undated,
                   include_imprecise=bool(include_imprecise))

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.sources or self.speakers or self.langs)

    def as_dict(self) -> dict:
        return {"since": self.since, "until": self.until, "source": list(self.sources), "speaker": list(self.speakers),
                "lang": list(self.langs), "include_undated": self.include_undated, "include_imprecise": self.include_imprecise}
